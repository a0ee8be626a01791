// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer bench: throughput and latency between two processes, with the
// baselines that say what the figures are worth, measured in the same run.
// This file reads the command line and runs the measurements in order; the
// measurements are in bench_*.cpp, the output in bench_table.cpp and
// bench_json.cpp.

#include "bench_measure.hpp"
#include "bench_report.hpp"
#include "bench_video.hpp"
#include "commands.hpp"
#include "options.hpp"

#include <algorithm>
#include <functional>
#include <sstream>

#include <sched.h>

namespace zerobuffer::tool {

namespace {

using namespace bench;

const command_help bench_help{
    "bench", "[options]",
    "Measures, between two processes on this host:\n"
    "  - one-way throughput for each --sizes (the writer copies each frame into the ring,\n"
    "    the reader releases it at once), beside a single-core memcpy of the same frames\n"
    "    into a buffer the size of the ring (memcpy_into_ring);\n"
    "  - round-trip latency of messages of each --sizes ping-ponged over two buffers, for\n"
    "    each --waits strategy, beside a busy-poll floor (two processes bouncing one cache\n"
    "    line each), a POSIX semaphore ping-pong, a pipe and a Unix domain socket;\n"
    "  - the CPU time of each side (getrusage) during each measured window;\n"
    "  - with --video, Full HD YUV420 frames through a relay process at fixed frame rates,\n"
    "    beside the cost of two memcpy of such a frame at the same pace (and back to back,\n"
    "    and with streaming stores);\n"
    "  - with --duplex, request/response round trips through a duplex echo server (single\n"
    "    thread and a pool of two) beside the ping-pong over two buffers of the same run,\n"
    "    the requests/s of a 1 ms handler with 16 pipelined (pool of 8 / single thread),\n"
    "    and with --video the video frames through a duplex echo server;\n"
    "  - with --asio, the same over zerobuffer::asio, each side one io_context thread\n"
    "    running a coroutine, beside the synchronous figures of the same rounds: round\n"
    "    trips at --latency-size for blocking and spin (added to --waits if missing),\n"
    "    one-way frames/s at --latency-size (added to --sizes if missing), and the CPU\n"
    "    time of a reader whose async_read_frame is pending for --asio-idle;\n"
    "  - the performance targets, met or not.\n"
    "Each measurement warms up first, then runs for --duration; all of them but the video\n"
    "take turns in --rounds rounds. The two sides run pinned to two CPUs unless\n"
    "--pin none. Ratios are zerobuffer's figure divided by the baseline's. On a shared or\n"
    "busy machine expect noise: compare figures of the same run.",
    "  zerobuffer bench\n"
    "  zerobuffer bench --sizes 64,1M --duration 3 --pin 0,1\n"
    "  zerobuffer bench --waits busy,blocking --json > bench.json\n"
    "  zerobuffer bench --video --video-ring 64M --video-frames 300\n"
    "  zerobuffer bench --duplex --sizes 64,64K --waits busy,spin,blocking\n"
    "  zerobuffer bench --asio --sizes 64 --waits spin,blocking"};

named_wait parse_wait(const std::string& option, const std::string& name)
{
    if (name == "spin" || name == "spin_then_block") {
        return {"spin_then_block", wait_strategy::spin_then_block()};
    }
    if (name == "busy" || name == "busy_poll") {
        return {"busy_poll", wait_strategy::busy_poll()};
    }
    if (name == "blocking") {
        return {"blocking", wait_strategy::blocking()};
    }
    throw usage_error("invalid value '" + name + "' for " + option +
                      ": expected blocking, spin or busy");
}

std::vector<named_wait> parse_waits(const po::variables_map& vm)
{
    const auto list = string_option(vm, "waits");
    const auto single = string_option(vm, "wait");
    if (list && single) {
        throw usage_error("give --waits or --wait, not both");
    }
    if (single) {
        return {parse_wait("--wait", *single)};
    }
    std::vector<named_wait> waits;
    std::istringstream in(list.value_or("spin,busy,blocking"));
    for (std::string item; std::getline(in, item, ',');) {
        named_wait w = parse_wait("--waits", item);
        if (std::any_of(waits.begin(), waits.end(),
                        [&](const named_wait& x) { return x.name == w.name; })) {
            throw usage_error("--waits names " + w.name + " twice");
        }
        waits.push_back(std::move(w));
    }
    if (waits.empty()) {
        throw usage_error("--waits needs at least one of blocking, spin, busy");
    }
    return waits;
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
    const bool with_asio = vm.count("asio") != 0;
    // --asio compares its streaming with the synchronous one at the headline size.
    if (with_asio && std::find(s.sizes.begin(), s.sizes.end(), s.latency_size) == s.sizes.end()) {
        s.sizes.push_back(s.latency_size);
    }
    // The round trips run at every frame size, and always at the headline size.
    s.latency_sizes = s.sizes;
    s.latency_sizes.push_back(s.latency_size);
    // Iterator algorithms: clang 14 cannot compile libstdc++ 12's ranges ones.
    std::sort(s.latency_sizes.begin(), s.latency_sizes.end());
    s.latency_sizes.erase(std::unique(s.latency_sizes.begin(), s.latency_sizes.end()),
                          s.latency_sizes.end());
    if (const auto p = string_option(vm, "payload-size")) {
        s.payload_size = parse_size("--payload-size", *p);
        for (const auto size : s.sizes) {
            if (2 * (size + 16) > s.payload_size) {
                throw usage_error("--payload-size " + *p + " cannot hold two frames of " +
                                  std::to_string(size) + " bytes");
            }
        }
    }
    s.waits = parse_waits(vm);
    if (with_asio) { // the strategies of its targets, beside their sync figures
        for (const char* name : {"spin_then_block", "blocking"}) {
            if (std::none_of(s.waits.begin(), s.waits.end(),
                             [&](const named_wait& w) { return w.name == name; })) {
                s.waits.push_back(parse_wait("--waits", name));
            }
        }
    }
    s.wait = s.waits.front().wait;
    s.wait_name = s.waits.front().name;
    const std::uint64_t rounds = parse_count("--rounds", vm["rounds"].as<std::string>());
    if (rounds == 0 || rounds > 100) {
        throw usage_error("--rounds must be 1 to 100");
    }
    s.rounds = static_cast<unsigned>(rounds);
    if (s.duration / s.rounds < std::chrono::milliseconds(1)) {
        throw usage_error("--duration must leave each of the --rounds at least 1 ms");
    }
    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    ::sched_getaffinity(0, sizeof allowed, &allowed);
    const auto p = string_option(vm, "pin").value_or("auto");
    if (p == "auto") {
        // The first two CPUs we may run on: left to itself the scheduler can
        // put both spinning sides on one CPU for a while (then figures drop
        // threefold), and the baselines run pinned the same way.
        std::vector<int> cpus;
        for (int cpu = 0; cpu < CPU_SETSIZE && cpus.size() < 2; ++cpu) {
            if (CPU_ISSET(cpu, &allowed)) {
                cpus.push_back(cpu);
            }
        }
        if (cpus.size() == 2) {
            s.parent_cpu = cpus[0];
            s.child_cpu = cpus[1];
        }
    } else if (p != "none") {
        const auto cpus = parse_cpu_list("--pin", p);
        if (cpus.size() != 2) {
            throw usage_error("--pin takes two CPUs: WRITER,READER (e.g. 0,1), auto or none");
        }
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

std::optional<video_settings> parse_video(const po::variables_map& vm)
{
    if (vm.count("video") == 0) {
        return std::nullopt;
    }
    video_settings v;
    if (const auto p = string_option(vm, "video-ring")) {
        v.ring_size = parse_size("--video-ring", *p);
        if (v.ring_size < 2 * (v.frame_size + 16)) {
            throw usage_error("--video-ring " + *p + " cannot hold two " +
                              std::to_string(v.frame_size) + "-byte frames");
        }
    }
    v.frames = parse_count("--video-frames", vm["video-frames"].as<std::string>());
    if (v.frames == 0) {
        throw usage_error("--video-frames must be at least 1");
    }
    v.warmup = parse_count("--video-warmup", vm["video-warmup"].as<std::string>());
    v.rates.clear();
    std::istringstream in(vm["video-rates"].as<std::string>());
    for (std::string item; std::getline(in, item, ',');) {
        const double rate = item == "max" ? 0 : parse_number("--video-rates", item);
        if (item != "max" && rate <= 0) {
            throw usage_error("--video-rates: a rate must be above 0 (or max)");
        }
        v.rates.push_back(rate);
    }
    if (v.rates.empty()) {
        throw usage_error("--video-rates needs at least one rate");
    }
    return v;
}

/// --asio-idle: how long the idle reader's read is pending.
std::chrono::nanoseconds parse_asio_idle(const po::variables_map& vm)
{
    const auto idle = parse_seconds("--asio-idle", vm["asio-idle"].as<std::string>());
    if (idle < std::chrono::milliseconds(10) || idle > std::chrono::seconds(60)) {
        throw usage_error("--asio-idle must be 0.01 to 60 seconds");
    }
    return idle;
}

} // namespace

int run_bench(const arguments& args)
{
    po::options_description opts("options");
    {
        auto add = opts.add_options();
        add("sizes", po::value<std::string>()->value_name("LIST")->default_value("64,4K,64K,1M"),
            "frame and message sizes of the throughput and round-trip runs (K, M allowed)");
        add("duration,d", po::value<std::string>()->value_name("SECONDS")->default_value("1"),
            "seconds each measurement runs");
        add("warmup", po::value<std::string>()->value_name("SECONDS"),
            "seconds of warm-up before each (default: a quarter of --duration, 20 ms to 1 s)");
        add("latency-size", po::value<std::string>()->value_name("SIZE")->default_value("64"),
            "headline message size: of the baselines and of the targets (added to the sizes)");
        add("payload-size", po::value<std::string>()->value_name("SIZE"),
            "ring size of the throughput runs (default: 4 MiB or 8 frames, whichever is larger)");
        add("waits", po::value<std::string>()->value_name("LIST"),
            "wait strategies of the round trips, comma-separated: spin (spin, then block), "
            "busy, blocking (default: spin,busy,blocking); the first is also that of the "
            "throughput runs");
        add("wait", po::value<std::string>()->value_name("KIND"),
            "a single wait strategy: the same as --waits KIND");
        add("pin", po::value<std::string>()->value_name("CPU,CPU")->default_value("auto"),
            "pin the writer/ping side and the reader/echo side to two CPUs, e.g. 0,1; auto: "
            "the first two this process may use (unpinned with fewer); none: let the "
            "scheduler place them");
        add("rounds", po::value<std::string>()->value_name("N")->default_value("4"),
            "throughput, round trips and their baselines run in N interleaved rounds of "
            "--duration / N each, merged (a machine whose speed drifts then affects all alike)");
        add("video", "also run the video workload (maps two 256 MiB rings by default, and "
                     "allocates two buffers of that size for its baseline)");
        add("video-ring", po::value<std::string>()->value_name("SIZE"),
            "ring size of each video buffer (default 256M)");
        add("video-frames", po::value<std::string>()->value_name("N")->default_value("1000"),
            "video frames measured per rate");
        add("video-warmup", po::value<std::string>()->value_name("N")->default_value("100"),
            "video frames sent before the first rate");
        add("video-rates",
            po::value<std::string>()->value_name("LIST")->default_value(
                "30,60,120,240,500,1000,max"),
            "video frame rates, comma-separated; max: as fast as it goes");
        add("duplex", "also run the duplex channel: request/response round trips through an "
                      "echo server (single thread and a pool) beside the simplex ping-pong, the "
                      "pool's scaling with a 1 ms handler, and with --video the video workload "
                      "through a duplex echo");
        add("asio", "also run the asynchronous measurements: round trips (blocking, spin), "
                    "one-way streaming and an idle reader over zerobuffer::asio coroutines, "
                    "beside the synchronous ones of the same rounds");
        add("asio-idle", po::value<std::string>()->value_name("SECONDS")->default_value("1"),
            "with --asio: how long the idle reader's async_read_frame is pending, per wait");
        add("json", "print the results as one JSON object on stdout");
    }
    const auto vm = parse_command(bench_help, opts, {}, {}, args);
    if (!vm) {
        return exit_ok;
    }
    const settings s = parse_settings(*vm);
    const std::optional<video_settings> video = parse_video(*vm);
    const bool json = vm->count("json") != 0;
    const bool with_duplex = vm->count("duplex") != 0;
    const bool with_asio = vm->count("asio") != 0;
    const auto asio_idle = parse_asio_idle(*vm);
    pin_to(s.parent_cpu);

    report r;
    if (with_asio) {
        r.asio.emplace();
    }
    if (!json) {
        print_settings(s, video);
        print_throughput_header();
    }
    // Every measurement once per round, each for its share of the duration;
    // merged per measurement after the last round. A machine whose speed
    // drifts during the run then slows each measurement and its baseline
    // alike, and no figure comes from one bad second alone.
    settings round = s;
    round.duration = s.duration / s.rounds;
    round.warmup =
        s.warmup > std::chrono::nanoseconds::zero()
            ? std::max<std::chrono::nanoseconds>(s.warmup / s.rounds, std::chrono::milliseconds(5))
            : s.warmup;
    std::vector<std::vector<memcpy_result>> copy_rounds(s.sizes.size());
    std::vector<std::vector<throughput_result>> throughput_rounds(s.sizes.size());
    std::vector<throughput_result> asio_rounds;
    for (unsigned i = 0; i < s.rounds; ++i) {
        for (std::size_t k = 0; k < s.sizes.size(); ++k) {
            copy_rounds[k].push_back(memcpy_into_ring(round, s.sizes[k]));
            throughput_rounds[k].push_back(zerobuffer_throughput(round, s.sizes[k]));
            if (with_asio && s.sizes[k] == s.latency_size) { // right after the sync one
                asio_rounds.push_back(asio_throughput(round, s.sizes[k]));
            }
        }
    }
    if (with_asio) {
        r.asio->streaming = merge_rounds(asio_rounds);
    }
    for (std::size_t k = 0; k < s.sizes.size(); ++k) {
        r.copies.push_back(merge_rounds(copy_rounds[k]));
        r.throughput.push_back(merge_rounds(throughput_rounds[k]));
        if (!json) {
            print_throughput_row(r.throughput.back(), r.copies.back());
        }
    }
    // Each measurement with the list of the report its result goes to.
    struct measure {
        std::function<latency_result()> run;
        std::vector<latency_result>* into;
    };
    std::vector<measure> measures;
    for (const auto& w : s.waits) {
        for (const auto size : s.latency_sizes) {
            measures.push_back(
                {[&, size] { return zerobuffer_latency(round, size, w); }, &r.zerobuffer});
            if (with_asio && size == s.latency_size && asio_measures(w)) {
                // Right after the sync one, in every round: drift slows both alike.
                measures.push_back({[&] { return asio_latency(round, w); }, &r.asio->round_trips});
            }
        }
    }
    if (with_duplex) {
        // In the same rounds as the simplex ping-pong they are judged by.
        for (const auto processing :
             {duplex_processing::single_thread, duplex_processing::thread_pool}) {
            auto* into = processing == duplex_processing::single_thread ? &r.duplex_single_thread
                                                                        : &r.duplex_thread_pool;
            for (const auto& w : s.waits) {
                for (const auto size : s.latency_sizes) {
                    measures.push_back({[&, size, processing] {
                                            return duplex_latency(round, size, w, processing);
                                        },
                                        into});
                }
            }
        }
    }
    measures.push_back({[&] { return busy_poll_floor_latency(round); }, &r.baselines});
    measures.push_back({[&] { return semaphore_latency(round); }, &r.baselines});
    measures.push_back({[&] { return pipe_latency(round); }, &r.baselines});
    measures.push_back({[&] { return unix_socket_latency(round); }, &r.baselines});
    std::vector<std::vector<latency_result>> rounds(measures.size());
    for (unsigned i = 0; i < s.rounds; ++i) {
        for (std::size_t m = 0; m < measures.size(); ++m) {
            rounds[m].push_back(measures[m].run());
        }
    }
    for (std::size_t m = 0; m < measures.size(); ++m) {
        measures[m].into->push_back(merge_rounds(std::move(rounds[m])));
    }
    if (with_duplex) {
        r.pool_scaling = duplex_pool_scaling(s);
    }
    if (with_asio) {
        for (const auto& w : s.waits) {
            if (asio_measures(w)) {
                r.asio->idle.push_back(asio_idle_cpu(s, w, asio_idle));
            }
        }
    }
    if (video) {
        r.video = video_round_trips(s, *video);
        if (with_duplex) {
            r.duplex_video = video_round_trips(s, *video, video_path::duplex_echo);
        }
    }
    if (json) {
        print_json(r, s);
    } else {
        print_rest(r, s);
    }
    return exit_ok;
}

} // namespace zerobuffer::tool
