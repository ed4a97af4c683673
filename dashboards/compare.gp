# compare.gp: baseline beside candidate, one panel per metric: every
# sample as a point (jittered sideways so equal values stay visible),
# the median as a bar and mean +/- stddev as an error bar, with a key
# for both under the panels (the first panel's titles only).
# params sets nm, the metric names (mname[i]), units, labels and files.
load params
load termfile
set multiplot layout 1, nm title title
set xrange [0.4:2.6]
set key at screen 0.5, screen 0.01 center bottom vertical \
	samplen 2 width 2 font ',9'
set bmargin 6
set offsets 0, 0, graph 0.08, graph 0.08
do for [i = 1:nm] {
	set title mname[i]
	set ylabel munit[i]
	plot pts[i] using 1:2:3 with points pt 7 ps 0.7 lc variable \
		title (i == 1 ? 'sample' : ''), \
	    sums[i] using ($1 + 0.28):3:4:5 with yerrorbars pt 7 ps 0.5 \
		lc rgb '#444444' lw 1.5 title (i == 1 ? 'mean +/- 1 sd' : ''), \
	    sums[i] using ($1 - 0.22):2:(0.44):(0) with vectors nohead \
		lw 3 lc rgb 'black' title (i == 1 ? 'median' : '')
}
unset multiplot
