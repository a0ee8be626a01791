// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_BENCH_STATS_HPP
#define ZEROBUFFER_TOOL_BENCH_STATS_HPP

// Medians of times read from a clock that counts in steps.
//
// Some clocks advance in steps far coarser than their nanosecond unit (a VM's
// steady clock here moves in 10 ns steps, give or take the 1 ns its
// conversion rounds). Every round trip then reads as a whole number of
// steps, and so does its median: a busy-poll floor of about 0.115 us reads
// 0.11 or 0.12, and every ratio to it jumps by 9 %. The median of grouped
// data fixes that: within the step that holds the middle rank, place the
// median by how far into that step's samples the middle rank falls.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

namespace zerobuffer::tool::bench {

/// The step of a clock, from many differences of consecutive readings in
/// nanoseconds: the spacing of the values they take often (at least 1 % of
/// them; the median spacing, to the nanosecond), where values 1 ns apart
/// count as one. 0 when they do not come in steps of more than 2 ns.
inline double clock_step_ns(const std::vector<std::int64_t>& deltas_ns)
{
    std::map<std::int64_t, std::size_t> counts;
    for (const std::int64_t d : deltas_ns) {
        if (d >= 0) { // 0: two reads within one step (a finer clock never reads twice alike)
            ++counts[d];
        }
    }
    const std::size_t total = deltas_ns.size();
    // Frequent values, values 1 ns apart merged into one (weighted centre).
    std::vector<double> centres;
    std::int64_t last = -2;
    double weight = 0, sum = 0;
    for (const auto& [value, n] : counts) {
        if (n * 100 < total) {
            continue;
        }
        if (value - last > 1 && weight > 0) {
            centres.push_back(sum / weight);
            weight = sum = 0;
        }
        weight += static_cast<double>(n);
        sum += static_cast<double>(n) * static_cast<double>(value);
        last = value;
    }
    if (weight > 0) {
        centres.push_back(sum / weight);
    }
    // The median gap, to the nanosecond: a clock that read a step rarely
    // (a gap of two steps) or a centre pulled by the 1-ns neighbours does
    // not decide it alone.
    std::vector<double> gaps;
    for (std::size_t i = 1; i < centres.size(); ++i) {
        gaps.push_back(centres[i] - centres[i - 1]);
    }
    if (gaps.empty()) {
        return 0;
    }
    std::sort(gaps.begin(), gaps.end());
    const double step = std::round(gaps[(gaps.size() - 1) / 2]);
    return step > 2 ? step : 0;
}

/// The median of `sorted` (ascending) samples of a clock with steps of
/// `step` (same unit; 0: no steps): the grouped-data median within the step
/// holding the middle rank, when most samples of that step read its middle
/// value (they came from the stepped clock); the plain middle sample
/// otherwise. Precondition: `sorted` is not empty.
inline double stepped_median(const std::vector<double>& sorted, double step)
{
    const std::size_t n = sorted.size();
    const double middle = sorted[(n - 1) / 2];
    if (step <= 0) {
        return middle;
    }
    const double half = step / 2;
    const auto lo = std::lower_bound(sorted.begin(), sorted.end(), middle - half);
    const auto hi = std::lower_bound(sorted.begin(), sorted.end(), middle + half);
    const auto near_lo = std::lower_bound(lo, hi, middle - step / 8);
    const auto near_hi = std::upper_bound(lo, hi, middle + step / 8);
    const auto in_step = static_cast<double>(hi - lo);
    if (static_cast<double>(near_hi - near_lo) * 2 < in_step) {
        return middle; // not stepped here: the values spread within the step
    }
    const double below = static_cast<double>(lo - sorted.begin());
    const double into = std::clamp((static_cast<double>(n) / 2 - below) / in_step, 0.0, 1.0);
    return middle - half + into * step;
}

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_BENCH_STATS_HPP
