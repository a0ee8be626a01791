// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// `bench --json`: the report as one JSON object on one line. Times are in
// microseconds (round trips) or milliseconds (video), rates per second; a
// figure that could not be computed is null. doc/benchmarks.md lists the keys.

#include "bench_report.hpp"

#include "json_print.hpp"
#include "options.hpp"

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <utility>

#include <unistd.h>

namespace zerobuffer::tool::bench {

namespace json = boost::json;

namespace {

json::object cpu_json(const cpu_times& c, double seconds)
{
    return {{"user_s", c.user}, {"system_s", c.system}, {"percent", percent(c, seconds)}};
}

json::object latency_json(const latency_result& l)
{
    return {{"size", l.size},
            {"samples", l.samples},
            {"seconds", l.seconds},
            {"min_us", l.min_us},
            {"median_us", l.median_us},
            {"median_raw_us", l.median_raw_us},
            {"p99_us", l.p99_us},
            {"p999_us", l.p999_us},
            {"mean_us", l.mean_us},
            {"max_us", l.max_us},
            {"ping_cpu", cpu_json(l.ping_cpu, l.seconds)},
            {"pong_cpu", cpu_json(l.pong_cpu, l.seconds)}};
}

template <class Range>
json::array array_of(const Range& items)
{
    json::array a;
    for (const auto& item : items) {
        a.emplace_back(item);
    }
    return a;
}

json::object settings_json(const report& r, const settings& s)
{
    json::array waits;
    for (const auto& n : s.waits) {
        waits.emplace_back(n.name);
    }
    // How busy the machine was (at the end of the run): busy-polling figures
    // are only meaningful with a core to spare for each side.
    double load[1] = {0};
    const json::value load_average =
        ::getloadavg(load, 1) == 1 ? json::value(load[0]) : json::value(nullptr);
    json::value pin;
    if (s.parent_cpu) {
        pin = json::array{*s.parent_cpu, *s.child_cpu};
    }
    return {{"duration_s", to_seconds(s.duration)},
            {"warmup_s", to_seconds(s.warmup)},
            {"latency_size", s.latency_size},
            {"wait", s.wait_name},
            {"waits", std::move(waits)},
            {"sizes", array_of(s.sizes)},
            {"latency_sizes", array_of(s.latency_sizes)},
            {"cpus_online", static_cast<std::int64_t>(::sysconf(_SC_NPROCESSORS_ONLN))},
            {"load_average_1m", load_average},
            {"rounds", s.rounds},
            {"clock_step_us", steady_clock_step_us()},
            {"pin", std::move(pin)},
            {"video", r.video.has_value()},
            {"asio", r.asio.has_value()}};
}

json::array throughput_json(const report& r)
{
    json::array a;
    for (std::size_t i = 0; i < r.throughput.size(); ++i) {
        const auto& t = r.throughput[i];
        const auto& m = r.copies[i];
        const auto& f = r.floors[i];
        a.emplace_back(
            json::object{{"size", t.size},
                         {"ring_size", m.ring_size},
                         {"frames", t.frames},
                         {"seconds", t.seconds},
                         {"frames_per_s", t.frames_per_s},
                         {"gib_per_s", t.gib_per_s},
                         {"memcpy_into_ring_gib_per_s", m.gib_per_s},
                         {"ratio_to_memcpy_into_ring", ratio(t.gib_per_s, m.gib_per_s)},
                         {"streaming_floor_frames_per_s", f.frames_per_s},
                         {"ratio_to_streaming_floor", ratio(t.frames_per_s, f.frames_per_s)},
                         {"writer_cpu", cpu_json(t.writer_cpu, t.seconds)},
                         {"reader_cpu", cpu_json(t.reader_cpu, t.seconds)}});
    }
    return a;
}

json::array memcpy_json(const report& r)
{
    json::array a;
    for (const auto& m : r.copies) {
        a.emplace_back(json::object{{"size", m.size},
                                    {"ring_size", m.ring_size},
                                    {"gib_per_s", m.gib_per_s},
                                    {"copies_per_s", m.copies_per_s}});
    }
    return a;
}

/// latency.zerobuffer.<wait>: one entry per size, ascending;
/// latency.baselines.<name>: one entry each.
json::object latency_section_json(const report& r, const settings& s)
{
    json::object zerobuffer;
    for (const auto& n : s.waits) {
        json::array entries;
        for (const auto size : s.latency_sizes) {
            if (const latency_result* l = find_zerobuffer(r, n.name, size)) {
                entries.emplace_back(latency_json(*l));
            }
        }
        zerobuffer[n.name] = std::move(entries);
    }
    json::object baselines;
    for (const auto& b : r.baselines) {
        baselines[b.name] = latency_json(b);
    }
    return {{"zerobuffer", std::move(zerobuffer)}, {"baselines", std::move(baselines)}};
}

/// latency_ratios.<wait>.<baseline>.{median,p99,p999}, at the headline size.
json::object latency_ratios_json(const report& r, const settings& s)
{
    json::object ratios;
    for (const auto& n : s.waits) {
        const latency_result* z = find_zerobuffer(r, n.name, s.latency_size);
        if (z == nullptr) {
            continue;
        }
        json::object by_baseline;
        for (const auto& b : r.baselines) {
            by_baseline[b.name] = json::object{{"median", ratio(z->median_us, b.median_us)},
                                               {"p99", ratio(z->p99_us, b.p99_us)},
                                               {"p999", ratio(z->p999_us, b.p999_us)}};
        }
        ratios[n.name] = std::move(by_baseline);
    }
    return ratios;
}

json::object targets_json(const report& r, const settings& s)
{
    json::object o;
    for (const auto& t : targets(r, s)) {
        o[t.key] = json::object{{"description", t.description},
                                {"size", t.size},
                                {"value", t.value},
                                {"target", t.limit},
                                {"comparison", t.at_most ? "<=" : ">="},
                                {"met", t.met()}};
    }
    return o;
}

/// Appends the statistics of some video round trips (or copies) to `o`.
void add_stats(json::object& o, const video_stats& st)
{
    o["samples"] = st.samples;
    o["min_ms"] = st.min_ms;
    o["avg_ms"] = st.avg_ms;
    o["p50_ms"] = st.p50_ms;
    o["p90_ms"] = st.p90_ms;
    o["p99_ms"] = st.p99_ms;
    o["max_ms"] = st.max_ms;
}

json::object video_json(const video_result& v)
{
    json::object baseline{
        {"what", "two memcpy of a frame between ring-sized buffers, back to back"}};
    add_stats(baseline, v.baseline);
    json::object streaming{
        {"what", "the same two copies with streaming stores"},
        {"p50_over_baseline", ratio(v.streaming_baseline.p50_ms, v.baseline.p50_ms)}};
    add_stats(streaming, v.streaming_baseline);

    json::array rates;
    for (const auto& r : v.rates) {
        const double x = ratio(r.round_trip.p50_ms, r.baseline.p50_ms);
        json::object o{{"rate", rate_name(r.rate)},
                       {"target_fps", r.rate > 0 ? json::value(r.rate) : json::value(nullptr)},
                       {"achieved_fps", r.achieved_fps}};
        add_stats(o, r.round_trip);
        // Two memcpy paced as the round trips are: the target's base.
        json::object paced;
        add_stats(paced, r.baseline);
        o["baseline"] = std::move(paced);
        o["p50_over_back_to_back"] = ratio(r.round_trip.p50_ms, v.baseline.p50_ms);
        o["p50_over_baseline"] = x;
        o["target"] = video_target_ratio;
        o["met"] = x <= video_target_ratio;
        rates.emplace_back(std::move(o));
    }
    return {{"frame_size", v.settings.frame_size},
            {"ring_size", v.settings.ring_size},
            {"frames", v.settings.frames},
            {"warmup", v.settings.warmup},
            {"wait", v.wait},
            {"baseline", std::move(baseline)},
            {"streaming_baseline", std::move(streaming)},
            {"rates", std::move(rates)}};
}

/// duplex.round_trips.<processing>.<wait>: [round trips per size],
/// duplex.ratios_to_simplex.<processing>.<wait>: [{size, median, p99}],
/// duplex.pool_scaling, duplex.video; null without --duplex.
json::value duplex_json(const report& r, const settings& s)
{
    if (r.duplex_single_thread.empty() && r.duplex_thread_pool.empty() && !r.pool_scaling) {
        return nullptr;
    }
    json::object round_trips;
    json::object ratios;
    for (const auto processing :
         {duplex_processing::single_thread, duplex_processing::thread_pool}) {
        json::object by_wait;
        json::object ratios_by_wait;
        for (const auto& w : s.waits) {
            json::array entries;
            json::array ratio_entries;
            for (const auto size : s.latency_sizes) {
                const latency_result* d = find_duplex(r, processing, w.name, size);
                if (d == nullptr) {
                    continue;
                }
                entries.emplace_back(latency_json(*d));
                const latency_result* z = find_zerobuffer(r, w.name, size);
                ratio_entries.emplace_back(
                    json::object{{"size", size},
                                 {"median", z ? ratio(d->median_us, z->median_us) : std::nan("")},
                                 {"p99", z ? ratio(d->p99_us, z->p99_us) : std::nan("")}});
            }
            by_wait[w.name] = std::move(entries);
            ratios_by_wait[w.name] = std::move(ratio_entries);
        }
        round_trips[to_string(processing)] = std::move(by_wait);
        ratios[to_string(processing)] = std::move(ratios_by_wait);
    }
    json::value pool = nullptr;
    if (r.pool_scaling) {
        const auto& p = *r.pool_scaling;
        pool = json::object{{"threads", p.threads},
                            {"pipeline", p.pipeline},
                            {"sleep_ms", p.sleep_ms},
                            {"seconds", p.seconds},
                            {"single_thread_rps", p.single_thread_rps},
                            {"thread_pool_rps", p.thread_pool_rps},
                            {"speedup", p.speedup()},
                            {"out_of_order", p.out_of_order}};
    }
    return json::object{
        {"round_trips", std::move(round_trips)},
        {"ratios_to_simplex", std::move(ratios)},
        {"pool_scaling", std::move(pool)},
        {"video", r.duplex_video ? json::value(video_json(*r.duplex_video)) : json::value()}};
}

json::object stream_json(const throughput_result& t)
{
    return {{"frames", t.frames},
            {"seconds", t.seconds},
            {"frames_per_s", t.frames_per_s},
            {"gib_per_s", t.gib_per_s},
            {"writer_cpu", cpu_json(t.writer_cpu, t.seconds)},
            {"reader_cpu", cpu_json(t.reader_cpu, t.seconds)}};
}

/// asio.round_trips.<wait>: {size, sync, async, ratios, target, met};
/// asio.streaming: {size, wait, sync, async, ratio, target, met};
/// asio.idle.<wait>: {seconds, cpu, cpu_ms_per_s, target, met}; null without --asio.
json::value asio_json(const report& r, const settings& s)
{
    if (!r.asio) {
        return nullptr;
    }
    const asio_results& a = *r.asio;
    json::object round_trips;
    for (const auto& async : a.round_trips) {
        const latency_result* sync = find_zerobuffer(r, async.name, s.latency_size);
        const double x = sync ? ratio(async.median_us, sync->median_us) : std::nan("");
        const double limit = asio_target_ratio(async.name);
        round_trips[async.name] = json::object{
            {"size", async.size},
            {"sync", sync ? json::value(latency_json(*sync)) : json::value(nullptr)},
            {"async", latency_json(async)},
            {"ratios",
             json::object{{"median", x},
                          {"p99", sync ? ratio(async.p99_us, sync->p99_us) : std::nan("")}}},
            {"target", limit},
            {"met", x <= limit}};
    }
    const throughput_result* sync = find_throughput(r, s.latency_size);
    const double x = sync ? ratio(a.streaming.frames_per_s, sync->frames_per_s) : std::nan("");
    json::object streaming{{"size", a.streaming.size},
                           {"wait", s.wait_name},
                           {"sync", sync ? json::value(stream_json(*sync)) : json::value(nullptr)},
                           {"async", stream_json(a.streaming)},
                           {"ratio", x},
                           {"target", asio_streaming_target_ratio},
                           {"met", x >= asio_streaming_target_ratio}};
    json::object idle;
    for (const auto& i : a.idle) {
        idle[i.name] = json::object{{"seconds", i.seconds},
                                    {"cpu", cpu_json(i.cpu, i.seconds)},
                                    {"cpu_ms_per_s", i.ms_per_s()},
                                    {"target", asio_idle_target_ms_per_s},
                                    {"met", i.ms_per_s() <= asio_idle_target_ms_per_s}};
    }
    return json::object{{"round_trips", std::move(round_trips)},
                        {"streaming", std::move(streaming)},
                        {"idle", std::move(idle)}};
}

json::object report_json(const report& r, const settings& s)
{
    return {{"command", "bench"},
            {"settings", settings_json(r, s)},
            {"throughput", throughput_json(r)},
            {"memcpy_into_ring", memcpy_json(r)},
            {"latency", latency_section_json(r, s)},
            {"latency_ratios", latency_ratios_json(r, s)},
            {"targets", targets_json(r, s)},
            {"video", r.video ? json::value(video_json(*r.video)) : json::value()},
            {"duplex", duplex_json(r, s)},
            {"asio", asio_json(r, s)}};
}

} // namespace

void print_json(const report& r, const settings& s)
{
    write_json(std::cout, report_json(r, s));
    std::cout << std::endl;
}

void print_repeated_json(const std::vector<report>& runs, const settings& s)
{
    json::array each;
    for (const auto& r : runs) {
        json::object o = report_json(r, s);
        o.erase("command");
        each.emplace_back(std::move(o));
    }
    json::object over_runs;
    for (const auto& t : repeated_targets(runs, s)) {
        json::array values;
        for (const double v : t.values) {
            values.emplace_back(v); // NaN (not measured in that run) prints as null
        }
        over_runs[t.first.key] = json::object{{"description", t.first.description},
                                              {"size", t.first.size},
                                              {"values", std::move(values)},
                                              {"median", t.median},
                                              {"min", t.min},
                                              {"max", t.max},
                                              {"target", t.first.limit},
                                              {"comparison", t.first.at_most ? "<=" : ">="},
                                              {"met", t.met()}};
    }
    const json::object o{{"command", "bench"},
                         {"repeat", runs.size()},
                         {"runs", std::move(each)},
                         {"targets", std::move(over_runs)}};
    write_json(std::cout, o);
    std::cout << std::endl;
}

} // namespace zerobuffer::tool::bench
