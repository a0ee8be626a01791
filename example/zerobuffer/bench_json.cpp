// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// `bench --json`: the report as one JSON object on one line. Times are in
// microseconds (round trips) or milliseconds (video), rates per second; a
// figure that could not be computed is null. doc/benchmarks.md lists the keys.

#include "bench_report.hpp"

#include "json.hpp"
#include "options.hpp"

#include <cmath>
#include <cstdlib>
#include <iostream>

#include <unistd.h>

namespace zerobuffer::tool::bench {

namespace {

void write_cpu(json_writer& w, std::string_view key, const cpu_times& c, double seconds)
{
    w.key(key)
        .begin_object()
        .field("user_s", c.user)
        .field("system_s", c.system)
        .field("percent", percent(c, seconds))
        .end_object();
}

void write_latency(json_writer& w, const latency_result& l)
{
    w.begin_object()
        .field("size", l.size)
        .field("samples", l.samples)
        .field("seconds", l.seconds)
        .field("min_us", l.min_us)
        .field("median_us", l.median_us)
        .field("median_raw_us", l.median_raw_us)
        .field("p99_us", l.p99_us)
        .field("p999_us", l.p999_us)
        .field("mean_us", l.mean_us)
        .field("max_us", l.max_us);
    write_cpu(w, "ping_cpu", l.ping_cpu, l.seconds);
    write_cpu(w, "pong_cpu", l.pong_cpu, l.seconds);
    w.end_object();
}

void write_settings(json_writer& w, const report& r, const settings& s)
{
    w.key("settings")
        .begin_object()
        .field("duration_s", to_seconds(s.duration))
        .field("warmup_s", to_seconds(s.warmup))
        .field("latency_size", s.latency_size)
        .field("wait", s.wait_name);
    w.key("waits").begin_array();
    for (const auto& n : s.waits) {
        w.value(n.name);
    }
    w.end_array();
    w.key("sizes").begin_array();
    for (const auto size : s.sizes) {
        w.value(size);
    }
    w.end_array();
    w.key("latency_sizes").begin_array();
    for (const auto size : s.latency_sizes) {
        w.value(size);
    }
    w.end_array();
    w.field("cpus_online", static_cast<std::int64_t>(::sysconf(_SC_NPROCESSORS_ONLN)));
    // How busy the machine was (at the end of the run): busy-polling figures
    // are only meaningful with a core to spare for each side.
    double load[1] = {0};
    if (::getloadavg(load, 1) == 1) {
        w.field("load_average_1m", load[0]);
    } else {
        w.key("load_average_1m").null();
    }
    w.field("rounds", s.rounds);
    w.field("clock_step_us", steady_clock_step_us());
    w.key("pin");
    if (s.parent_cpu) {
        w.begin_array().value(*s.parent_cpu).value(*s.child_cpu).end_array();
    } else {
        w.null();
    }
    w.field("video", r.video.has_value());
    w.end_object();
}

void write_throughput(json_writer& w, const report& r)
{
    w.key("throughput").begin_array();
    for (std::size_t i = 0; i < r.throughput.size(); ++i) {
        const auto& t = r.throughput[i];
        const auto& m = r.copies[i];
        w.begin_object()
            .field("size", t.size)
            .field("ring_size", m.ring_size)
            .field("frames", t.frames)
            .field("seconds", t.seconds)
            .field("frames_per_s", t.frames_per_s)
            .field("gib_per_s", t.gib_per_s)
            .field("memcpy_into_ring_gib_per_s", m.gib_per_s)
            .field("ratio_to_memcpy_into_ring", ratio(t.gib_per_s, m.gib_per_s));
        write_cpu(w, "writer_cpu", t.writer_cpu, t.seconds);
        write_cpu(w, "reader_cpu", t.reader_cpu, t.seconds);
        w.end_object();
    }
    w.end_array();

    w.key("memcpy_into_ring").begin_array();
    for (const auto& m : r.copies) {
        w.begin_object()
            .field("size", m.size)
            .field("ring_size", m.ring_size)
            .field("gib_per_s", m.gib_per_s)
            .field("copies_per_s", m.copies_per_s)
            .end_object();
    }
    w.end_array();
}

void write_latency_section(json_writer& w, const report& r, const settings& s)
{
    // latency.zerobuffer.<wait>: one entry per size, ascending;
    // latency.baselines.<name>: one entry each.
    w.key("latency").begin_object();
    w.key("zerobuffer").begin_object();
    for (const auto& n : s.waits) {
        w.key(n.name).begin_array();
        for (const auto size : s.latency_sizes) {
            if (const latency_result* l = find_zerobuffer(r, n.name, size)) {
                write_latency(w, *l);
            }
        }
        w.end_array();
    }
    w.end_object();
    w.key("baselines").begin_object();
    for (const auto& b : r.baselines) {
        w.key(b.name);
        write_latency(w, b);
    }
    w.end_object();
    w.end_object();

    // latency_ratios.<wait>.<baseline>.{median,p99,p999}, at the headline size.
    w.key("latency_ratios").begin_object();
    for (const auto& n : s.waits) {
        const latency_result* z = find_zerobuffer(r, n.name, s.latency_size);
        if (z == nullptr) {
            continue;
        }
        w.key(n.name).begin_object();
        for (const auto& b : r.baselines) {
            w.key(b.name)
                .begin_object()
                .field("median", ratio(z->median_us, b.median_us))
                .field("p99", ratio(z->p99_us, b.p99_us))
                .field("p999", ratio(z->p999_us, b.p999_us))
                .end_object();
        }
        w.end_object();
    }
    w.end_object();
}

void write_targets(json_writer& w, const report& r, const settings& s)
{
    w.key("targets").begin_object();
    for (const auto& t : targets(r, s)) {
        w.key(t.key)
            .begin_object()
            .field("description", t.description)
            .field("size", t.size)
            .field("value", t.value)
            .field("target", t.limit)
            .field("comparison", t.at_most ? "<=" : ">=")
            .field("met", t.met())
            .end_object();
    }
    w.end_object();
}

void write_stats(json_writer& w, const video_stats& st)
{
    w.field("samples", st.samples)
        .field("min_ms", st.min_ms)
        .field("avg_ms", st.avg_ms)
        .field("p50_ms", st.p50_ms)
        .field("p90_ms", st.p90_ms)
        .field("p99_ms", st.p99_ms)
        .field("max_ms", st.max_ms);
}

void write_video(json_writer& w, const video_result& v)
{
    w.key("video").begin_object();
    w.field("frame_size", v.settings.frame_size)
        .field("ring_size", v.settings.ring_size)
        .field("frames", v.settings.frames)
        .field("warmup", v.settings.warmup)
        .field("wait", v.wait);
    w.key("baseline")
        .begin_object()
        .field("what", "two memcpy of a frame between ring-sized buffers, back to back");
    write_stats(w, v.baseline);
    w.end_object();
    w.key("streaming_baseline")
        .begin_object()
        .field("what", "the same two copies with streaming stores")
        .field("p50_over_baseline", ratio(v.streaming_baseline.p50_ms, v.baseline.p50_ms));
    write_stats(w, v.streaming_baseline);
    w.end_object();
    w.key("rates").begin_array();
    for (const auto& r : v.rates) {
        const double x = ratio(r.round_trip.p50_ms, r.baseline.p50_ms);
        w.begin_object().field("rate", rate_name(r.rate));
        w.key("target_fps");
        if (r.rate > 0) {
            w.value(r.rate);
        } else {
            w.null();
        }
        w.field("achieved_fps", r.achieved_fps);
        write_stats(w, r.round_trip);
        // Two memcpy paced as the round trips are: the target's base.
        w.key("baseline").begin_object();
        write_stats(w, r.baseline);
        w.end_object();
        w.field("p50_over_back_to_back", ratio(r.round_trip.p50_ms, v.baseline.p50_ms));
        w.field("p50_over_baseline", x)
            .field("target", video_target_ratio)
            .field("met", x <= video_target_ratio)
            .end_object();
    }
    w.end_array();
    w.end_object();
}

} // namespace

void print_json(const report& r, const settings& s)
{
    json_writer w(std::cout);
    w.begin_object().field("command", "bench");
    write_settings(w, r, s);
    write_throughput(w, r);
    write_latency_section(w, r, s);
    write_targets(w, r, s);
    if (r.video) {
        write_video(w, *r.video);
    } else {
        w.key("video").null();
    }
    w.end_object();
    std::cout << std::endl;
}

} // namespace zerobuffer::tool::bench
