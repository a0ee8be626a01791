// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer bench: throughput and latency between two processes, with the
// baselines that say what the figures are worth, measured in the same run.
// This file declares the command line (bench_options.cpp reads its values)
// and runs the measurements in order; the measurements are in bench_*.cpp,
// the output in bench_table.cpp and bench_json.cpp.

#include "bench_measure.hpp"
#include "bench_options.hpp"
#include "bench_report.hpp"
#include "bench_video.hpp"
#include "commands.hpp"
#include "options.hpp"

#include <algorithm>
#include <functional>

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
