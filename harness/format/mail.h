/*
 * mail.h: is a patch file a mail (mbox, "git format-patch" output, a
 * saved message), to be applied with "git am", or a plain diff, to be
 * applied with "git apply"?
 */
#ifndef FORMAT_MAIL_H
#define FORMAT_MAIL_H

/*
 * 1 if buf (NUL-terminated) is a mail: it starts with an mbox "From "
 * line, or with a header block (field lines and folded continuations,
 * one of them From:, Subject: or Date:) that an empty line ends.
 * 0 for a plain diff, whatever comments precede its first hunk.
 */
int	patch_is_mail(const char *buf);
/* The same for a file: its first 64 KiB.  0 if it cannot be read. */
int	patch_file_is_mail(const char *path);

#endif /* FORMAT_MAIL_H */
