// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The table `bench` prints without --json: each zerobuffer figure beside the
// baseline it is judged against, then the targets.

#include "bench_report.hpp"

#include "options.hpp"
#include "progress.hpp"

#include <cmath>
#include <cstdio>

#include <unistd.h>

namespace zerobuffer::tool::bench {

namespace {

void print_latency_row(const latency_result& l, const char* size)
{
    char cpu[32];
    std::snprintf(cpu, sizeof cpu, "%.0f%%/%.0f%%", percent(l.ping_cpu, l.seconds),
                  percent(l.pong_cpu, l.seconds));
    // The median to the nanosecond: it is placed within the clock's step.
    std::printf("%-16s %9s %9.3f %9.2f %9.2f %9.2f %10s %14s\n", l.name.c_str(), size, l.median_us,
                l.p99_us, l.p999_us, l.min_us, format_count(l.samples).c_str(), cpu);
}

void print_latency(const report& r, const settings& s)
{
    std::printf("\nround-trip latency in microseconds: zerobuffer ping-pong over two buffers\n");
    std::printf("%-16s %9s %9s %9s %9s %9s %10s %14s\n", "wait", "size", "median", "p99", "p99.9",
                "min", "samples", "CPU ping/pong");
    for (const auto& w : s.waits) {
        for (const auto size : s.latency_sizes) {
            if (const latency_result* l = find_zerobuffer(r, w.name, size)) {
                print_latency_row(*l, format_bytes(static_cast<double>(size)).c_str());
            }
        }
    }
    std::printf("\nbaselines, same harness (floor: one cache line each way, semaphore: no data)\n");
    for (const auto& b : r.baselines) {
        print_latency_row(b, b.name == "semaphore" || b.name == "busy_poll_floor"
                                 ? "-"
                                 : format_bytes(static_cast<double>(b.size)).c_str());
    }
    // A busy-polling side that got well under a core was sharing it with other
    // work: then the floor and busy_poll measure the scheduler's time slices.
    if (const latency_result* f = find_baseline(r, "busy_poll_floor");
        f != nullptr && percent(f->ping_cpu, f->seconds) < 80) {
        std::printf("warning: the busy-poll floor got %.0f%% of a CPU: this machine is busy, so "
                    "busy-polling\nfigures measure its scheduler, not the IPC\n",
                    percent(f->ping_cpu, f->seconds));
    }
    std::printf("\nzerobuffer %s round trip / baseline (below 1: zerobuffer is faster)\n",
                format_bytes(static_cast<double>(s.latency_size)).c_str());
    for (const auto& w : s.waits) {
        const latency_result* z = find_zerobuffer(r, w.name, s.latency_size);
        if (z == nullptr) {
            continue;
        }
        for (const auto& b : r.baselines) {
            std::printf("  %-16s vs %-16s median %7.3gx   p99 %7.3gx   p99.9 %7.3gx\n",
                        w.name.c_str(), b.name.c_str(), ratio(z->median_us, b.median_us),
                        ratio(z->p99_us, b.p99_us), ratio(z->p999_us, b.p999_us));
        }
    }
}

void print_duplex(const report& r, const settings& s)
{
    std::printf("\nduplex round trip in microseconds: request/response through an echo server,\n"
                "beside the simplex ping-pong over two buffers of the same wait and size\n");
    std::printf("%-16s %-14s %9s %9s %9s %9s %10s %14s %11s\n", "wait", "processing", "size",
                "median", "p99", "p99.9", "samples", "CPU cli/srv", "/ simplex");
    for (const auto processing :
         {duplex_processing::single_thread, duplex_processing::thread_pool}) {
        for (const auto& w : s.waits) {
            for (const auto size : s.latency_sizes) {
                const latency_result* d = find_duplex(r, processing, w.name, size);
                if (d == nullptr) {
                    continue;
                }
                const latency_result* z = find_zerobuffer(r, w.name, size);
                char cpu[32];
                std::snprintf(cpu, sizeof cpu, "%.0f%%/%.0f%%", percent(d->ping_cpu, d->seconds),
                              percent(d->pong_cpu, d->seconds));
                std::printf("%-16s %-14s %9s %9.3f %9.2f %9.2f %10s %14s %10.2fx\n", w.name.c_str(),
                            std::string(to_string(processing)).c_str(),
                            format_bytes(static_cast<double>(size)).c_str(), d->median_us,
                            d->p99_us, d->p999_us, format_count(d->samples).c_str(), cpu,
                            z ? ratio(d->median_us, z->median_us) : std::nan(""));
            }
        }
    }
    if (r.pool_scaling) {
        const auto& p = *r.pool_scaling;
        std::printf("\nduplex pool scaling: a handler that sleeps %.0f ms, %llu requests "
                    "pipelined, %.2f s each\n  single thread %10.0f requests/s\n  pool of %-5llu "
                    "%10.0f requests/s  (%.2fx), %llu responses out of order\n",
                    p.sleep_ms, static_cast<unsigned long long>(p.pipeline), p.seconds,
                    p.single_thread_rps, static_cast<unsigned long long>(p.threads),
                    p.thread_pool_rps, p.speedup(),
                    static_cast<unsigned long long>(p.out_of_order));
    }
}

const char* verdict(double value, double limit, bool at_most)
{
    if (std::isnan(value)) {
        return "not measured";
    }
    return (at_most ? value <= limit : value >= limit) ? "met" : "NOT met";
}

void print_asio(const report& r, const settings& s)
{
    const asio_results& a = *r.asio;
    const std::string size = format_bytes(static_cast<double>(s.latency_size));
    std::printf("\nasio round trip in microseconds: coroutines on one io_context thread a side,\n"
                "beside the sync ping-pong of the same wait, size and rounds\n");
    std::printf("%-16s %-6s %9s %9s %9s %9s %10s %14s %11s\n", "wait", "side", "size", "median",
                "p99", "p99.9", "samples", "CPU ping/pong", "async/sync");
    for (const auto& w : s.waits) {
        const latency_result* async = find_asio(r, w.name);
        if (async == nullptr) {
            continue;
        }
        const latency_result* sync = find_zerobuffer(r, w.name, s.latency_size);
        for (const latency_result* l : {sync, async}) {
            if (l == nullptr) {
                continue;
            }
            char cpu[32];
            std::snprintf(cpu, sizeof cpu, "%.0f%%/%.0f%%", percent(l->ping_cpu, l->seconds),
                          percent(l->pong_cpu, l->seconds));
            std::printf("%-16s %-6s %9s %9.3f %9.2f %9.2f %10s %14s", w.name.c_str(),
                        l == sync ? "sync" : "async", size.c_str(), l->median_us, l->p99_us,
                        l->p999_us, format_count(l->samples).c_str(), cpu);
            if (l == async) {
                const double x = sync ? ratio(async->median_us, sync->median_us) : std::nan("");
                const double limit = asio_target_ratio(w.name);
                std::printf(" %10.2fx  <= %g %s (p99 %.2fx)", x, limit, verdict(x, limit, true),
                            sync ? ratio(async->p99_us, sync->p99_us) : std::nan(""));
            }
            std::printf("\n");
        }
    }
    std::printf("\nasio one-way streaming of %s frames, wait %s, beside the sync stream\n",
                size.c_str(), s.wait_name.c_str());
    std::printf("%-6s %13s %9s %11s %11s %11s\n", "side", "frames/s", "GiB/s", "writer CPU",
                "reader CPU", "async/sync");
    const throughput_result* sync = find_throughput(r, s.latency_size);
    for (const throughput_result* t : {sync, &a.streaming}) {
        if (t == nullptr) {
            continue;
        }
        std::printf("%-6s %13s %9.3f %10.0f%% %10.0f%%", t == sync ? "sync" : "async",
                    format_count(static_cast<std::uint64_t>(t->frames_per_s)).c_str(), t->gib_per_s,
                    percent(t->writer_cpu, t->seconds), percent(t->reader_cpu, t->seconds));
        if (t == &a.streaming) {
            const double x = sync ? ratio(t->frames_per_s, sync->frames_per_s) : std::nan("");
            std::printf(" %10.2fx  >= %g %s", x, asio_streaming_target_ratio,
                        verdict(x, asio_streaming_target_ratio, false));
        }
        std::printf("\n");
    }
    std::printf("\nidle asio reader: async_read_frame pending, the writer attached and silent\n");
    std::printf("%-16s %9s %10s %9s %9s\n", "wait", "seconds", "CPU ms/s", "user ms", "sys ms");
    for (const auto& idle : a.idle) {
        std::printf("%-16s %9.2f %10.3f %9.2f %9.2f  <= %g %s\n", idle.name.c_str(), idle.seconds,
                    idle.ms_per_s(), 1000 * idle.cpu.user, 1000 * idle.cpu.system,
                    asio_idle_target_ms_per_s,
                    verdict(idle.ms_per_s(), asio_idle_target_ms_per_s, true));
    }
}

void print_video(const video_result& v)
{
    const auto& vs = v.settings;
    std::printf("\nvideo round trip: %s frames (1920x1080 YUV420 + 16 B header) %s,\n%s "
                "rings, %llu frames per rate after %llu of warm-up, wait %s; "
                "in milliseconds\n",
                format_count(vs.frame_size).c_str(),
                v.path == video_path::duplex_echo
                    ? "through a duplex echo server (in-place handler)"
                    : "to a relay and back",
                format_bytes(static_cast<double>(vs.ring_size)).c_str(),
                static_cast<unsigned long long>(vs.frames),
                static_cast<unsigned long long>(vs.warmup), v.wait.c_str());
    std::printf("%6s %9s %8s %8s %8s %8s %8s %8s %9s %13s\n", "fps", "achieved", "min", "avg",
                "p50", "p90", "p99", "max", "base p50", "p50/base p50");
    for (const auto& r : v.rates) {
        const auto& t = r.round_trip;
        std::printf("%6s %9.1f %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %9.3f %12.2fx\n",
                    rate_name(r.rate).c_str(), r.achieved_fps, t.min_ms, t.avg_ms, t.p50_ms,
                    t.p90_ms, t.p99_ms, t.max_ms, r.baseline.p50_ms,
                    ratio(t.p50_ms, r.baseline.p50_ms));
    }
    std::printf("base p50: two memcpy of the frame between ring-sized buffers, paced as the round\n"
                "trips are (half an interval after each) and from the same source\n");
    const auto& b = v.baseline;
    std::printf("%6s %9s %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f   (the two memcpy back to back, "
                "every cache warm)\n",
                "base", "-", b.min_ms, b.avg_ms, b.p50_ms, b.p90_ms, b.p99_ms, b.max_ms);
    const auto& st = v.streaming_baseline;
    std::printf("%6s %9s %8.3f %8.3f %8.3f %8.3f %8.3f %8.3f %9s %12.2fx (the same with "
                "streaming stores)\n",
                "stream", "-", st.min_ms, st.avg_ms, st.p50_ms, st.p90_ms, st.p99_ms, st.max_ms, "",
                ratio(st.p50_ms, b.p50_ms));
}

void print_targets(const report& r, const settings& s)
{
    std::printf("\nperformance targets\n");
    for (const auto& t : targets(r, s)) {
        std::printf("  %-56s %12.4g  %s %-8g %s\n", t.description.c_str(), t.value,
                    t.at_most ? "<=" : ">=", t.limit,
                    std::isnan(t.value) ? "not measured"
                    : t.met()           ? "met"
                                        : "NOT met");
    }
}

} // namespace

void print_settings(const settings& s, const std::optional<video_settings>& video)
{
    std::string waits;
    for (const auto& w : s.waits) {
        waits += (waits.empty() ? "" : ",") + w.name;
    }
    std::printf("zerobuffer bench: %ld CPUs online, %.2f s per measurement after %.2f s warm-up "
                "(all but the video in %u rounds), waits %s, %s%s\n\n",
                ::sysconf(_SC_NPROCESSORS_ONLN), to_seconds(s.duration), to_seconds(s.warmup),
                s.rounds, waits.c_str(),
                s.parent_cpu ? ("pinned to CPUs " + std::to_string(*s.parent_cpu) + "," +
                                std::to_string(*s.child_cpu))
                                   .c_str()
                             : "not pinned",
                video ? ", with --video" : "");
    if (const double step = steady_clock_step_us(); step > 0) {
        std::printf("the clock counts in steps of %.0f ns: medians are placed within the step by "
                    "rank (grouped-data median)\n\n",
                    step * 1000);
    }
}

void print_throughput_header()
{
    std::printf("one-way throughput, wait as the first of the waits (writer copies each frame "
                "in;\nreader releases it at once), beside memcpy into a ring-sized buffer and the "
                "streaming\nfloor (a minimal record ring of the same size, both sides spinning)\n");
    std::printf("%9s %9s %13s %9s %13s %10s %13s %9s %11s %11s\n", "size", "ring", "frames/s",
                "GiB/s", "memcpy GiB/s", "vs memcpy", "floor fr/s", "vs floor", "writer CPU",
                "reader CPU");
}

void print_throughput_row(const throughput_result& t, const memcpy_result& m,
                          const throughput_result& floor)
{
    std::printf("%9s %9s %13s %9.3f %13.2f %9.1f%% %13s %8.1f%% %10.0f%% %10.0f%%\n",
                format_bytes(static_cast<double>(t.size)).c_str(),
                format_bytes(static_cast<double>(m.ring_size)).c_str(),
                format_count(static_cast<std::uint64_t>(t.frames_per_s)).c_str(), t.gib_per_s,
                m.gib_per_s, 100.0 * ratio(t.gib_per_s, m.gib_per_s),
                format_count(static_cast<std::uint64_t>(floor.frames_per_s)).c_str(),
                100.0 * ratio(t.frames_per_s, floor.frames_per_s), percent(t.writer_cpu, t.seconds),
                percent(t.reader_cpu, t.seconds));
    std::fflush(stdout);
}

void print_rest(const report& r, const settings& s)
{
    print_latency(r, s);
    if (!r.duplex_single_thread.empty() || r.pool_scaling) {
        print_duplex(r, s);
    }
    if (r.asio) {
        print_asio(r, s);
    }
    if (r.video) {
        print_video(*r.video);
    }
    if (r.duplex_video) {
        print_video(*r.duplex_video);
    }
    print_targets(r, s);
}

void print_repeated_targets(const std::vector<report>& runs, const settings& s)
{
    std::printf("\nperformance targets over %zu runs, each judged by its median\n", runs.size());
    std::printf("  %-56s %10s %21s     %-8s\n", "", "median", "range", "target");
    for (const auto& t : repeated_targets(runs, s)) {
        char range[48];
        std::snprintf(range, sizeof range, "%.4g .. %.4g", t.min, t.max);
        std::printf("  %-56s %10.4g %21s  %s %-8g %s\n", t.first.description.c_str(), t.median,
                    range, t.first.at_most ? "<=" : ">=", t.first.limit,
                    std::isnan(t.median) ? "not measured"
                    : t.met()            ? "met"
                                         : "NOT met");
    }
}

} // namespace zerobuffer::tool::bench
