#!/usr/bin/env bash
# Copyright (c) 2026 The zerobuffer authors.
# Distributed under the Boost Software License, Version 1.0.
#
# Plots a `zerobuffer bench --json` report:
#   latency.png     round-trip latency per wait strategy: median, p99 and p99.9
#                   per message size (log scale), with the busy-poll floor and
#                   the semaphore ping-pong of the same run as lines
#   throughput.png  one-way GiB/s and frames/s against frame size, with the
#                   memcpy-into-a-ring-sized-buffer line
# Usage: doc/plots/plot_bench.sh [bench.json [output-dir]]
#   (defaults: bench.json and the directory of this script)
# Needs jq and gnuplot (Debian: apt-get install -y jq gnuplot-nox).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
input="${1:-$here/bench.json}"
out="${2:-$here}"
for tool in jq gnuplot; do
    command -v "$tool" >/dev/null 2>&1 || { echo "plot_bench.sh: $tool is needed" >&2; exit 1; }
done
jq -e '.command == "bench"' "$input" >/dev/null || {
    echo "plot_bench.sh: $input is not a zerobuffer bench --json report" >&2
    exit 1
}

data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT

# A size as the table prints it: 64 B, 4 KiB, 1 MiB.
jq_size='def size_label: if . >= 1048576 then "\(. / 1048576) MiB"
    elif . >= 1024 then "\(. / 1024) KiB" else "\(.) B" end;'

# latency-<wait>.dat: "size-label median p99 p99.9" per size.
mapfile -t waits < <(jq -r '.settings.waits[]' "$input")
for wait in "${waits[@]}"; do
    jq -r --arg w "$wait" "$jq_size"'
        .latency.zerobuffer[$w][] | "\"\(.size | size_label)\" \(.median_us) \(.p99_us) \(.p999_us)"' \
        "$input" >"$data/latency-$wait.dat"
done
floor="$(jq '.latency.baselines.busy_poll_floor.median_us' "$input")"
semaphore="$(jq '.latency.baselines.semaphore.median_us' "$input")"
# One y range for every panel, so that the strategies compare at a glance.
ymin="$(jq '[.latency.zerobuffer[][].min_us, .latency.baselines.busy_poll_floor.median_us]
    | min / 2' "$input")"
ymax="$(jq '[.latency.zerobuffer[][].p999_us, .latency.baselines.semaphore.median_us]
    | max * 2' "$input")"
title_settings="$(jq -r '"\(.settings.cpus_online) CPUs, \(.settings.duration_s) s per measurement"' "$input")"

# throughput.dat: "size size-label GiB/s frames/s memcpy-GiB/s memcpy-copies/s".
jq -r "$jq_size"'[.throughput, .memcpy_into_ring] | transpose[]
    | "\(.[0].size) \"\(.[0].size | size_label)\" \(.[0].gib_per_s) \(.[0].frames_per_s)"
      + " \(.[1].gib_per_s) \(.[1].copies_per_s)"' \
    "$input" >"$data/throughput.dat"

{
    echo "set terminal pngcairo noenhanced size $((420 * ${#waits[@]})),520 font 'sans,10'"
    echo "set output '$out/latency.png'"
    echo "set multiplot layout 1,${#waits[@]} title 'zerobuffer round-trip latency, two processes ($title_settings)'"
    echo "set style data histograms"
    echo "set style histogram clustered gap 1"
    echo "set style fill solid 0.8 border -1"
    echo "set logscale y"
    echo "set yrange [$ymin:$ymax]"
    echo "set ylabel 'microseconds (log)'"
    echo "set xlabel 'message size'"
    echo "set grid ytics"
    echo "set key below horizontal maxcols 3"
    for wait in "${waits[@]}"; do
        echo "set title '$wait'"
        echo "plot '$data/latency-$wait.dat' using 2:xtic(1) title 'median', \
            '' using 3 title 'p99', '' using 4 title 'p99.9', \
            $floor with lines dashtype 2 lw 2 lc rgb 'black' title 'busy-poll floor median', \
            $semaphore with lines dashtype 3 lw 2 lc rgb 'dark-red' title 'semaphore median'"
    done
    echo "unset multiplot"

    echo "set terminal pngcairo noenhanced size 1000,440 font 'sans,10'"
    echo "set output '$out/throughput.png'"
    echo "set multiplot layout 1,2 title 'one-way throughput, writer copies each frame in ($title_settings)'"
    echo "unset style"
    echo "set style data linespoints"
    echo "set logscale x 2"
    echo "set xlabel 'frame size'"
    echo "set grid"
    echo "set key inside top left"
    echo "unset logscale y"
    echo "set yrange [0:*]"
    echo "set ylabel 'GiB/s'"
    echo "set title 'bytes'"
    echo "plot '$data/throughput.dat' using 1:3:xtic(2) lw 2 pt 7 title 'zerobuffer', \
        '' using 1:5 lw 2 pt 5 dashtype 2 title 'memcpy into a ring-sized buffer'"
    echo "set logscale y"
    echo "set yrange [*:*]"
    echo "set format y '%.0s%c'"
    echo "set ylabel 'frames/s (log)'"
    echo "set title 'frames'"
    echo "set key inside top right"
    echo "plot '$data/throughput.dat' using 1:4:xtic(2) lw 2 pt 7 title 'zerobuffer', \
        '' using 1:6 lw 2 pt 5 dashtype 2 title 'memcpy into a ring-sized buffer', \
        1e7 with lines dashtype 3 lc rgb 'dark-red' title 'target for 64 B frames: 10 M/s'"
    echo "unset multiplot"
} >"$data/plot.gp"
gnuplot "$data/plot.gp"
echo "wrote $out/latency.png and $out/throughput.png"
