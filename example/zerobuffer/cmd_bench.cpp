// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer bench: throughput and latency between two processes, with the
// baselines that say what the figures are worth, measured in the same run.

#include "bench_measure.hpp"
#include "commands.hpp"
#include "json.hpp"
#include "options.hpp"

#include <cmath>
#include <cstdio>
#include <iostream>
#include <thread>

#include <sched.h>
#include <unistd.h>

namespace zerobuffer::tool {

namespace {

using namespace bench;

const command_help bench_help{
    "bench", "[options]",
    "Measures, between two processes on this host:\n"
    "  - one-way throughput for each --sizes (the writer copies each frame into the ring,\n"
    "    the reader releases it at once), beside single-core memcpy bandwidth;\n"
    "  - round-trip latency of --latency-size messages ping-ponged over two buffers,\n"
    "    beside a POSIX semaphore ping-pong, a pipe and a Unix domain socket round trip;\n"
    "  - the CPU time of each side (getrusage) during each measured window.\n"
    "Each measurement warms up first, then runs for --duration. Ratios are zerobuffer's\n"
    "figure divided by the baseline's. On a shared or busy machine expect noise: compare\n"
    "figures of the same run.",
    "  zerobuffer bench\n"
    "  zerobuffer bench --sizes 64,1M --duration 3 --pin 0,1\n"
    "  zerobuffer bench --wait blocking --json > bench.json"};

struct report {
    std::vector<throughput_result> throughput;
    std::vector<memcpy_result> copies;
    std::vector<latency_result> zerobuffer; ///< the chosen wait, then blocking if not chosen
    std::vector<latency_result> baselines;
};

double ratio(double a, double b)
{
    return b > 0 ? a / b : std::nan("");
}

double percent(const cpu_times& cpu, double seconds)
{
    return seconds > 0 ? 100.0 * cpu.total() / seconds : std::nan("");
}

settings parse_settings(const po::variables_map& vm)
{
    settings s;
    s.sizes = parse_size_list("--sizes", vm["sizes"].as<std::string>());
    s.duration = parse_seconds("--duration", vm["duration"].as<std::string>());
    if (s.duration < std::chrono::milliseconds(1)) {
        throw usage_error("--duration must be at least 1 ms");
    }
    if (const auto w = string_option(vm, "warmup")) {
        s.warmup = parse_seconds("--warmup", *w);
    } else {
        s.warmup = std::clamp<std::chrono::nanoseconds>(
            s.duration / 4, std::chrono::milliseconds(20), std::chrono::seconds(1));
    }
    s.latency_size = parse_size("--latency-size", vm["latency-size"].as<std::string>());
    if (s.latency_size == 0) {
        throw usage_error("--latency-size must be at least 1 byte");
    }
    if (const auto p = string_option(vm, "payload-size")) {
        s.payload_size = parse_size("--payload-size", *p);
        for (const auto size : s.sizes) {
            if (2 * (size + 16) > s.payload_size) {
                throw usage_error("--payload-size " + *p + " cannot hold two frames of " +
                                  std::to_string(size) + " bytes");
            }
        }
    }
    s.wait_name = vm["wait"].as<std::string>();
    if (s.wait_name == "blocking") {
        s.wait = wait_strategy::blocking();
    } else if (s.wait_name == "spin") {
        s.wait = wait_strategy::spin_then_block();
        s.wait_name = "spin_then_block";
    } else if (s.wait_name == "busy") {
        s.wait = wait_strategy::busy_poll();
        s.wait_name = "busy_poll";
    } else {
        throw usage_error("invalid value '" + s.wait_name +
                          "' for --wait: expected blocking, spin or busy");
    }
    if (const auto p = string_option(vm, "pin")) {
        const auto cpus = parse_cpu_list("--pin", *p);
        if (cpus.size() != 2) {
            throw usage_error("--pin takes two CPUs: WRITER,READER (e.g. 0,1)");
        }
        cpu_set_t allowed;
        CPU_ZERO(&allowed);
        ::sched_getaffinity(0, sizeof allowed, &allowed);
        for (const int cpu : cpus) {
            if (!CPU_ISSET(cpu, &allowed)) {
                throw usage_error("--pin: CPU " + std::to_string(cpu) +
                                  " is not one this process may run on");
            }
        }
        s.parent_cpu = cpus[0];
        s.child_cpu = cpus[1];
    }
    return s;
}

void print_settings(const settings& s)
{
    std::printf("zerobuffer bench: %ld CPUs online, %.2f s per measurement after %.2f s warm-up, "
                "wait %s, %s\n\n",
                ::sysconf(_SC_NPROCESSORS_ONLN), to_seconds(s.duration), to_seconds(s.warmup),
                s.wait_name.c_str(),
                s.parent_cpu ? ("pinned to CPUs " + std::to_string(*s.parent_cpu) + "," +
                                std::to_string(*s.child_cpu))
                                   .c_str()
                             : "not pinned");
}

void print_throughput_header()
{
    std::printf("one-way throughput (writer copies each frame in; reader releases it at once)\n");
    std::printf("%9s %13s %9s %13s %10s %11s %11s\n", "size", "frames/s", "GiB/s", "memcpy GiB/s",
                "vs memcpy", "writer CPU", "reader CPU");
}

void print_throughput_row(const throughput_result& t, const memcpy_result& m)
{
    std::printf("%9s %13s %9.3f %13.2f %9.1f%% %10.0f%% %10.0f%%\n",
                format_bytes(static_cast<double>(t.size)).c_str(),
                format_count(static_cast<std::uint64_t>(t.frames_per_s)).c_str(), t.gib_per_s,
                m.gib_per_s, 100.0 * ratio(t.gib_per_s, m.gib_per_s),
                percent(t.writer_cpu, t.seconds), percent(t.reader_cpu, t.seconds));
    std::fflush(stdout);
}

void print_latency(const report& r, const settings& s)
{
    std::printf("\nround-trip latency, %s messages, in microseconds\n",
                format_bytes(static_cast<double>(s.latency_size)).c_str());
    std::printf("%-20s %9s %9s %9s %9s %10s %14s\n", "", "median", "p99", "p99.9", "min", "samples",
                "CPU ping/pong");
    const auto row = [](const latency_result& l) {
        char cpu[32];
        std::snprintf(cpu, sizeof cpu, "%.0f%%/%.0f%%", percent(l.ping_cpu, l.seconds),
                      percent(l.pong_cpu, l.seconds));
        std::printf("%-20s %9.2f %9.2f %9.2f %9.2f %10s %14s\n", l.name.c_str(), l.median_us,
                    l.p99_us, l.p999_us, l.min_us, format_count(l.samples).c_str(), cpu);
    };
    for (const auto& l : r.zerobuffer) {
        row(l);
    }
    for (const auto& l : r.baselines) {
        row(l);
    }
    std::printf("\nzerobuffer / baseline (below 1: zerobuffer is faster)\n");
    for (const auto& z : r.zerobuffer) {
        for (const auto& b : r.baselines) {
            std::printf("  %-20s vs %-12s median %6.3gx   p99 %6.3gx   p99.9 %6.3gx\n",
                        z.name.c_str(), b.name.c_str(), ratio(z.median_us, b.median_us),
                        ratio(z.p99_us, b.p99_us), ratio(z.p999_us, b.p999_us));
        }
    }
}

void write_cpu(json_writer& w, std::string_view key, const cpu_times& c, double seconds)
{
    w.key(key)
        .begin_object()
        .field("user_s", c.user)
        .field("system_s", c.system)
        .field("percent", percent(c, seconds))
        .end_object();
}

void print_json(const report& r, const settings& s)
{
    json_writer w(std::cout);
    w.begin_object().field("command", "bench");
    w.key("settings")
        .begin_object()
        .field("duration_s", to_seconds(s.duration))
        .field("warmup_s", to_seconds(s.warmup))
        .field("latency_size", s.latency_size)
        .field("wait", s.wait_name)
        .field("cpus_online", static_cast<std::int64_t>(::sysconf(_SC_NPROCESSORS_ONLN)));
    w.key("pin");
    if (s.parent_cpu) {
        w.begin_array().value(*s.parent_cpu).value(*s.child_cpu).end_array();
    } else {
        w.null();
    }
    w.end_object();

    w.key("throughput").begin_array();
    for (std::size_t i = 0; i < r.throughput.size(); ++i) {
        const auto& t = r.throughput[i];
        const auto& m = r.copies[i];
        w.begin_object()
            .field("size", t.size)
            .field("ring_size", ring_size(s, t.size))
            .field("frames", t.frames)
            .field("seconds", t.seconds)
            .field("frames_per_s", t.frames_per_s)
            .field("gib_per_s", t.gib_per_s)
            .field("memcpy_gib_per_s", m.gib_per_s)
            .field("ratio_to_memcpy", ratio(t.gib_per_s, m.gib_per_s));
        write_cpu(w, "writer_cpu", t.writer_cpu, t.seconds);
        write_cpu(w, "reader_cpu", t.reader_cpu, t.seconds);
        w.end_object();
    }
    w.end_array();

    w.key("memcpy").begin_array();
    for (const auto& m : r.copies) {
        w.begin_object()
            .field("size", m.size)
            .field("gib_per_s", m.gib_per_s)
            .field("copies_per_s", m.copies_per_s)
            .end_object();
    }
    w.end_array();

    w.key("latency").begin_object();
    const auto latency = [&](const latency_result& l) {
        w.key(l.name)
            .begin_object()
            .field("size", l.size)
            .field("samples", l.samples)
            .field("seconds", l.seconds)
            .field("min_us", l.min_us)
            .field("median_us", l.median_us)
            .field("p99_us", l.p99_us)
            .field("p999_us", l.p999_us)
            .field("mean_us", l.mean_us)
            .field("max_us", l.max_us);
        write_cpu(w, "ping_cpu", l.ping_cpu, l.seconds);
        write_cpu(w, "pong_cpu", l.pong_cpu, l.seconds);
        w.end_object();
    };
    for (const auto& l : r.zerobuffer) {
        latency(l);
    }
    for (const auto& l : r.baselines) {
        latency(l);
    }
    w.end_object();

    // latency_ratios.<zerobuffer variant>.<baseline>.{median,p99,p999}
    w.key("latency_ratios").begin_object();
    for (const auto& z : r.zerobuffer) {
        w.key(z.name).begin_object();
        for (const auto& b : r.baselines) {
            w.key(b.name)
                .begin_object()
                .field("median", ratio(z.median_us, b.median_us))
                .field("p99", ratio(z.p99_us, b.p99_us))
                .field("p999", ratio(z.p999_us, b.p999_us))
                .end_object();
        }
        w.end_object();
    }
    w.end_object();
    w.end_object();
    std::cout << std::endl;
}

} // namespace

int run_bench(const arguments& args)
{
    po::options_description opts("options");
    {
        auto add = opts.add_options();
        add("sizes", po::value<std::string>()->value_name("LIST")->default_value("64,4K,64K,1M"),
            "frame sizes of the throughput runs, comma-separated (K, M allowed)");
        add("duration,d", po::value<std::string>()->value_name("SECONDS")->default_value("1"),
            "seconds each measurement runs");
        add("warmup", po::value<std::string>()->value_name("SECONDS"),
            "seconds of warm-up before each (default: a quarter of --duration, 20 ms to 1 s)");
        add("latency-size", po::value<std::string>()->value_name("SIZE")->default_value("64"),
            "message size of the round trips");
        add("payload-size", po::value<std::string>()->value_name("SIZE"),
            "ring size of the throughput runs (default: 4 MiB or 8 frames, whichever is larger)");
        add("wait", po::value<std::string>()->value_name("KIND")->default_value("spin"),
            "how zerobuffer waits: blocking, spin (spin, then block) or busy");
        add("pin", po::value<std::string>()->value_name("CPU,CPU"),
            "pin the writer/ping side and the reader/echo side to two CPUs, e.g. 0,1");
        add("json", "print the results as one JSON object on stdout");
    }
    const auto vm = parse_command(bench_help, opts, {}, {}, args);
    if (!vm) {
        return exit_ok;
    }
    const settings s = parse_settings(*vm);
    const bool json = vm->count("json") != 0;
    pin_to(s.parent_cpu);

    report r;
    if (!json) {
        print_settings(s);
        print_throughput_header();
    }
    for (const auto size : s.sizes) {
        r.copies.push_back(memcpy_bandwidth(s, size));
        r.throughput.push_back(zerobuffer_throughput(s, size));
        if (!json) {
            print_throughput_row(r.throughput.back(), r.copies.back());
        }
    }
    r.zerobuffer.push_back(zerobuffer_latency(s));
    if (s.wait.kind != wait_kind::blocking) {
        // Like with like: the semaphore, pipe and socket baselines block too.
        settings blocking = s;
        blocking.wait = wait_strategy::blocking();
        r.zerobuffer.push_back(zerobuffer_latency(blocking));
        r.zerobuffer.back().name = "zerobuffer_blocking";
    }
    r.baselines.push_back(semaphore_latency(s));
    r.baselines.push_back(pipe_latency(s));
    r.baselines.push_back(unix_socket_latency(s));
    if (json) {
        print_json(r, s);
    } else {
        print_latency(r, s);
    }
    return exit_ok;
}

} // namespace zerobuffer::tool
