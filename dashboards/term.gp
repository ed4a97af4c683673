# term.gp: the terminal for every kbench plot, loaded by the templates.
# fmt is 'svg' or 'png'; width and height in pixels.  Text is never
# "enhanced": labels are user data, and ^ _ @ { } must print as they are.
if (fmt eq 'svg') {
	set terminal svg size width, height dynamic noenhanced \
	    font 'DejaVu Sans,11' background rgb 'white'
} else {
	if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
		set terminal pngcairo size width, height noenhanced \
		    font 'DejaVu Sans,10' background rgb 'white'
	} else {
		set terminal png size width, height noenhanced
	}
}
set output out
set encoding utf8
set grid ytics lc rgb '#dddddd'
set border 3
set tics nomirror
# A plot that draws only some of its points says so under its title.
if (exists('note') && exists('title') && note ne '') {
	title = title . "\n" . note
}
