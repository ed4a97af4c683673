# scatter.gp: one point per package, its base time against its patched
# time, both in seconds on log scales, with the diagonal y = x: a point
# above it got slower.  params sets pts (a file of "base patched"
# lines), lo and hi (the range of both axes) and the labels.
load params
load termfile
set title title
set xlabel xlabel . ' (s)'
set ylabel ylabel . ' (s)'
set logscale xy
set xrange [lo:hi]
set yrange [lo:hi]
set size square
set grid xtics ytics lc rgb '#dddddd'
set key top left
plot x with lines lc rgb '#888888' dt 2 title 'same time', \
    pts using 1:2 with points pt 7 ps 0.6 lc rgb '#1f5fa8' title 'package'
