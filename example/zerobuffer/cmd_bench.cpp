// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer bench: throughput and latency between two processes, with the
// baselines that say what the figures are worth, measured in the same run.
// This file declares the command line (bench_options.cpp reads its values)
// and runs the measurements in order; the measurements are in bench_*.cpp,
// the output in bench_table.cpp and bench_json.cpp.

#include "bench_options.hpp"
#include "bench_report.hpp"
#include "bench_run.hpp"
#include "commands.hpp"
#include "options.hpp"

#include <cstdio>
#include <vector>

namespace zerobuffer::tool {

namespace {

using namespace bench;

const command_help bench_help{
    "bench", "[options]",
    "Measures, between two processes on this host:\n"
    "  - one-way throughput for each --sizes (the writer copies each frame into the ring,\n"
    "    the reader releases it at once), beside a single-core memcpy of the same frames\n"
    "    into a buffer the size of the ring (memcpy_into_ring) and the streaming floor: the\n"
    "    same frames through a minimal ring of length-prefixed records, both sides spinning;\n"
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
    "  - the performance targets, met or not; with --repeat N, each target's median and\n"
    "    range over N whole runs, judged by the median.\n"
    "Each measurement warms up first, then runs for --duration; all of them but the video\n"
    "take turns in --rounds rounds. The two sides run pinned to two CPUs unless\n"
    "--pin none. Ratios are zerobuffer's figure divided by the baseline's. On a shared or\n"
    "busy machine expect noise: compare figures of the same run.",
    "  zerobuffer bench\n"
    "  zerobuffer bench --sizes 64,1M --duration 3 --pin 0,1\n"
    "  zerobuffer bench --waits busy,blocking --json > bench.json\n"
    "  zerobuffer bench --video --video-ring 64M --video-frames 300\n"
    "  zerobuffer bench --duplex --sizes 64,64K --waits busy,spin,blocking\n"
    "  zerobuffer bench --asio --sizes 64 --waits spin,blocking\n"
    "  zerobuffer bench --repeat 5 --sizes 64,4K,1M"};

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
        add("repeat", po::value<std::string>()->value_name("N")->default_value("1"),
            "run the whole measurement N times, then give each target's median and range over "
            "the runs; a target is met when every run measured it and its median meets it");
        add("json", "print the results as one JSON object on stdout (with --repeat: every "
                    "run's, and the targets over the runs)");
    }
    const auto vm = parse_command(bench_help, opts, {}, {}, args);
    if (!vm) {
        return exit_ok;
    }
    run_plan plan;
    plan.s = parse_settings(*vm);
    plan.video = parse_video(*vm);
    plan.duplex = vm->count("duplex") != 0;
    plan.asio = vm->count("asio") != 0;
    plan.asio_idle = parse_asio_idle(*vm);
    const unsigned repeat = parse_repeat(*vm);
    const bool json = vm->count("json") != 0;
    const settings& s = plan.s;
    pin_to(s.parent_cpu);

    if (!json) {
        print_settings(s, plan.video);
    }
    std::vector<report> runs;
    for (unsigned i = 0; i < repeat; ++i) {
        if (!json && repeat > 1) {
            std::printf("%srun %u of %u\n\n", i == 0 ? "" : "\n", i + 1, repeat);
        }
        runs.push_back(measure_all(plan, !json));
        if (!json) {
            print_rest(runs.back(), s);
        }
    }
    if (json) {
        if (repeat == 1) {
            print_json(runs.front(), s);
        } else {
            print_repeated_json(runs, s);
        }
    } else if (repeat > 1) {
        print_repeated_targets(runs, s);
    }
    return exit_ok;
}

} // namespace zerobuffer::tool
