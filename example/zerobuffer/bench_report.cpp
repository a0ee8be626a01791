// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The performance targets of `bench`, in one place so that the table and the
// JSON state them alike.

#include "bench_report.hpp"

#include "progress.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace zerobuffer::tool::bench {

bool target::met() const noexcept
{
    if (std::isnan(value)) {
        return false;
    }
    return at_most ? value <= limit : value >= limit;
}

double ratio(double a, double b) noexcept
{
    return b > 0 ? a / b : std::nan("");
}

double percent(const cpu_times& cpu, double seconds) noexcept
{
    return seconds > 0 ? 100.0 * cpu.total() / seconds : std::nan("");
}

const latency_result* find_zerobuffer(const report& r, std::string_view wait, std::uint64_t size)
{
    for (const auto& l : r.zerobuffer) {
        if (l.name == wait && l.size == size) {
            return &l;
        }
    }
    return nullptr;
}

const latency_result* find_duplex(const report& r, duplex_processing processing,
                                  std::string_view wait, std::uint64_t size)
{
    const auto& results = processing == duplex_processing::single_thread ? r.duplex_single_thread
                                                                         : r.duplex_thread_pool;
    for (const auto& l : results) {
        if (l.name == wait && l.size == size) {
            return &l;
        }
    }
    return nullptr;
}

const latency_result* find_asio(const report& r, std::string_view wait)
{
    if (r.asio) {
        for (const auto& l : r.asio->round_trips) {
            if (l.name == wait) {
                return &l;
            }
        }
    }
    return nullptr;
}

const throughput_result* find_throughput(const report& r, std::uint64_t size)
{
    for (const auto& t : r.throughput) {
        if (t.size == size) {
            return &t;
        }
    }
    return nullptr;
}

const throughput_result* find_floor(const report& r, std::uint64_t size)
{
    for (const auto& t : r.floors) {
        if (t.size == size) {
            return &t;
        }
    }
    return nullptr;
}

double asio_target_ratio(std::string_view wait) noexcept
{
    return wait == "blocking" ? asio_blocking_target_ratio : asio_spin_target_ratio;
}

const latency_result* find_baseline(const report& r, std::string_view name)
{
    for (const auto& l : r.baselines) {
        if (l.name == name) {
            return &l;
        }
    }
    return nullptr;
}

std::vector<target> targets(const report& r, const settings& s)
{
    const std::uint64_t headline = s.latency_size;
    const std::string size_text = format_bytes(static_cast<double>(headline));
    // Median round trip of `wait` over the median of `baseline`; NaN when
    // either was not measured (e.g. --waits left the strategy out).
    const auto rtt_ratio = [&](std::string_view wait, std::string_view baseline) {
        const latency_result* z = find_zerobuffer(r, wait, headline);
        const latency_result* b = find_baseline(r, baseline);
        return z && b ? ratio(z->median_us, b->median_us) : std::nan("");
    };
    constexpr std::uint64_t large = std::uint64_t{1} << 20;
    double over_floor = std::nan("");
    double large_ratio = std::nan("");
    for (std::size_t i = 0; i < r.throughput.size(); ++i) {
        if (r.throughput[i].size == headline) {
            if (const throughput_result* f = find_floor(r, headline)) {
                over_floor = ratio(r.throughput[i].frames_per_s, f->frames_per_s);
            }
        }
        if (r.throughput[i].size == large) {
            large_ratio = ratio(r.throughput[i].gib_per_s, r.copies[i].gib_per_s);
        }
    }
    const auto duplex_ratio = [&](std::string_view wait) {
        const latency_result* d = find_duplex(r, duplex_processing::single_thread, wait, headline);
        const latency_result* z = find_zerobuffer(r, wait, headline);
        return d && z ? ratio(d->median_us, z->median_us) : std::nan("");
    };
    const double pool_speedup = r.pool_scaling ? r.pool_scaling->speedup() : std::nan("");
    const auto asio_ratio = [&](std::string_view wait) {
        const latency_result* a = find_asio(r, wait);
        const latency_result* z = find_zerobuffer(r, wait, headline);
        return a && z ? ratio(a->median_us, z->median_us) : std::nan("");
    };
    double asio_streaming = std::nan("");
    double asio_idle = std::nan("");
    if (r.asio) {
        if (const throughput_result* t = find_throughput(r, headline)) {
            asio_streaming = ratio(r.asio->streaming.frames_per_s, t->frames_per_s);
        }
        for (const auto& idle : r.asio->idle) { // the worst strategy's
            asio_idle =
                std::isnan(asio_idle) ? idle.ms_per_s() : std::max(asio_idle, idle.ms_per_s());
        }
    }
    std::vector<target> all{
        {"duplex_busy_poll_rtt_over_simplex",
         "duplex busy_poll " + size_text + " round trip / simplex ping-pong (median)", headline,
         duplex_ratio("busy_poll"), duplex_target_ratio, true},
        {"duplex_pool_speedup", "duplex 1 ms handler, 16 pipelined: pool of 8 / single thread", 0,
         pool_speedup, pool_target_speedup, false},
        {"spin_then_block_rtt_over_floor",
         "spin_then_block " + size_text + " round trip / busy-poll floor (median)", headline,
         rtt_ratio("spin_then_block", "busy_poll_floor"), 3, true},
        {"busy_poll_rtt_over_floor",
         "busy_poll " + size_text + " round trip / busy-poll floor (median)", headline,
         rtt_ratio("busy_poll", "busy_poll_floor"), 3, true},
        {"blocking_rtt_over_semaphore",
         "blocking " + size_text + " round trip / semaphore ping-pong (median)", headline,
         rtt_ratio("blocking", "semaphore"), 1.1, true},
        {"streaming_over_floor", size_text + " one-way frames/s / streaming floor frames/s",
         headline, over_floor, streaming_floor_target_ratio, false},
        {"throughput_over_memcpy_into_ring", "1 MiB one-way GiB/s / memcpy_into_ring GiB/s", large,
         large_ratio, 0.9, false},
        {"asio_blocking_rtt_over_sync",
         "asio blocking " + size_text + " round trip / sync blocking (median)", headline,
         asio_ratio("blocking"), asio_blocking_target_ratio, true},
        {"asio_spin_then_block_rtt_over_sync",
         "asio spin_then_block " + size_text + " round trip / sync (median)", headline,
         asio_ratio("spin_then_block"), asio_spin_target_ratio, true},
        {"asio_streaming_over_sync", "asio " + size_text + " one-way frames/s / sync frames/s",
         headline, asio_streaming, asio_streaming_target_ratio, false},
        {"asio_idle_cpu_ms_per_s", "idle asio reader: CPU ms per second (worst wait)", 0, asio_idle,
         asio_idle_target_ms_per_s, true},
    };
    // The video's, at each rate: only in a run with --video (and --duplex).
    for (const auto* video : {&r.video, &r.duplex_video}) {
        if (!*video) {
            continue;
        }
        const std::string key = video == &r.video ? "video_" : "duplex_video_";
        const std::string what = video == &r.video ? "video " : "duplex video ";
        for (const auto& v : (*video)->rates) {
            const std::string rate = rate_name(v.rate);
            all.push_back({key + rate + "_p50_over_paced_copies",
                           what + rate + " fps p50 / two-memcpy p50, same pace",
                           (*video)->settings.frame_size,
                           ratio(v.round_trip.p50_ms, v.baseline.p50_ms), video_target_ratio,
                           true});
            all.push_back({key + rate + "_p99_over_p50", what + rate + " fps p99 / its p50",
                           (*video)->settings.frame_size,
                           ratio(v.round_trip.p99_ms, v.round_trip.p50_ms), video_p99_target_ratio,
                           true});
        }
    }
    return all;
}

bool repeated_target::met() const noexcept
{
    // Judged only when every run measured it: a median of some runs is not
    // the median of the runs.
    if (std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); })) {
        return false;
    }
    target t = first;
    t.value = median;
    return t.met();
}

std::vector<repeated_target> repeated_targets(const std::vector<report>& runs, const settings& s)
{
    std::vector<repeated_target> all;
    for (std::size_t run = 0; run < runs.size(); ++run) {
        for (auto& t : targets(runs[run], s)) {
            auto it = std::find_if(all.begin(), all.end(),
                                   [&](const repeated_target& a) { return a.first.key == t.key; });
            if (it == all.end()) {
                all.push_back({t, std::vector<double>(runs.size(), std::nan(""))});
                it = all.end() - 1;
            }
            it->values[run] = t.value;
        }
    }
    for (auto& t : all) {
        std::vector<double> measured;
        std::copy_if(t.values.begin(), t.values.end(), std::back_inserter(measured),
                     [](double v) { return !std::isnan(v); });
        if (measured.empty()) {
            t.median = t.min = t.max = std::nan("");
            continue;
        }
        std::sort(measured.begin(), measured.end());
        const std::size_t n = measured.size();
        t.median = n % 2 == 1 ? measured[n / 2] : (measured[n / 2 - 1] + measured[n / 2]) / 2;
        t.min = measured.front();
        t.max = measured.back();
    }
    return all;
}

} // namespace zerobuffer::tool::bench
