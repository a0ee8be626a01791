// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// One whole `bench` run: every measurement the plan asks for, in the order
// that keeps each beside its baseline (see measure_all).

#include "bench_run.hpp"

#include "bench_measure.hpp"

#include <algorithm>
#include <functional>

namespace zerobuffer::tool::bench {

report measure_all(const run_plan& plan, bool print_rows)
{
    const settings& s = plan.s;
    const bool with_duplex = plan.duplex;
    const bool with_asio = plan.asio;
    report r;
    if (with_asio) {
        r.asio.emplace();
    }
    if (print_rows) {
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
    std::vector<std::vector<throughput_result>> floor_rounds(s.sizes.size());
    std::vector<throughput_result> asio_rounds;
    for (unsigned i = 0; i < s.rounds; ++i) {
        for (std::size_t k = 0; k < s.sizes.size(); ++k) {
            copy_rounds[k].push_back(memcpy_into_ring(round, s.sizes[k]));
            throughput_rounds[k].push_back(zerobuffer_throughput(round, s.sizes[k]));
            if (with_asio && s.sizes[k] == s.latency_size) { // right after the sync one
                asio_rounds.push_back(asio_throughput(round, s.sizes[k]));
            }
            floor_rounds[k].push_back(streaming_floor_throughput(round, s.sizes[k]));
        }
    }
    if (with_asio) {
        r.asio->streaming = merge_rounds(asio_rounds);
    }
    for (std::size_t k = 0; k < s.sizes.size(); ++k) {
        r.copies.push_back(merge_rounds(copy_rounds[k]));
        r.throughput.push_back(merge_rounds(throughput_rounds[k]));
        r.floors.push_back(merge_rounds(floor_rounds[k]));
        if (print_rows) {
            print_throughput_row(r.throughput.back(), r.copies.back(), r.floors.back());
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
                r.asio->idle.push_back(asio_idle_cpu(s, w, plan.asio_idle));
            }
        }
    }
    if (plan.video) {
        r.video = video_round_trips(s, *plan.video);
        if (with_duplex) {
            r.duplex_video = video_round_trips(s, *plan.video, video_path::duplex_echo);
        }
    }
    return r;
}

} // namespace zerobuffer::tool::bench
