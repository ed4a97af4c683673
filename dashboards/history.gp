# history.gp: one series (worker, workload, metric) over kernels in
# commit order (xlabel says when there are none): the median of each kernel with its min-max range, and
# the change points as red markers.  kbench plot writes params (the
# data file names, labels quoted for gnuplot, the x tics) and loads it.
load params
load termfile
set title title
set ylabel ylabel
set xlabel xlabel
set xrange [-0.5:npoints - 0.5]
set xtics rotate by -40 left font ',9'
set key top left opaque box
set offsets 0, 0, graph 0.05, graph 0.05
set bmargin 7
if (ncp > 0) {
	plot datafile using 1:2:3:4 with yerrorbars lc rgb '#7a9cc6' pt 7 \
		ps 0.6 title 'median, min-max', \
	    datafile using 1:2 with lines lc rgb '#1f4e8c' lw 2 notitle, \
	    cpfile using 1:2 with points pt 9 ps 2.2 lc rgb '#c0392b' \
		title 'change point'
} else {
	plot datafile using 1:2:3:4 with yerrorbars lc rgb '#7a9cc6' pt 7 \
		ps 0.6 title 'median, min-max', \
	    datafile using 1:2 with lines lc rgb '#1f4e8c' lw 2 notitle
}
