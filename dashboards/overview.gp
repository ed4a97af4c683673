# overview.gp: one architecture and workload: each worker's median
# real time per kernel, relative to its first kernel (100%), so that
# machines of different speed share one axis.
load params
load termfile
set title title
set ylabel 'median real time, % of the first kernel'
set xlabel 'kernel (commit order)'
set xrange [-0.5:npoints - 0.5]
set xtics rotate by -40 left font ',9'
set key top left opaque box
set bmargin 7
plot for [i = 1:ns] files[i] using 1:2 with linespoints pt 7 ps 0.6 \
    lw 2 title names[i]
