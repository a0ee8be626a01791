// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_BENCH_SUPPORT_HPP
#define ZEROBUFFER_TOOL_BENCH_SUPPORT_HPP

// What every `bench` measurement shares: its settings, its results, CPU time
// from getrusage, CPU pinning, the shared-memory block through which the two
// processes of a measurement agree on when the measured window starts and
// ends, and the round-trip timing loop.

#include "progress.hpp"

#include <zerobuffer/wait_strategy.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <semaphore.h>

namespace zerobuffer::tool::bench {

/// A wait strategy with the name it is reported under.
struct named_wait {
    std::string name; ///< spin_then_block, busy_poll or blocking
    wait_strategy wait;
};

struct settings {
    std::vector<std::uint64_t> sizes;         ///< throughput frame sizes
    std::vector<std::uint64_t> latency_sizes; ///< round-trip message sizes
    std::chrono::nanoseconds duration{};
    std::chrono::nanoseconds warmup{};
    /// The headline message size: that of the baselines and of the targets.
    std::uint64_t latency_size = 64;
    std::uint64_t payload_size = 0; ///< 0: chosen per frame size
    wait_strategy wait;             ///< of the throughput runs: the first of `waits`
    std::string wait_name;
    std::vector<named_wait> waits; ///< each is measured in the round trips
    std::optional<int> parent_cpu; ///< --pin: writer / ping side
    std::optional<int> child_cpu;  ///< --pin: reader / pong side
    /// Every measurement but the video runs in this many rounds of
    /// duration / rounds each (the throughput rounds first, then the round
    /// trips and their baselines in turn), merged after: a machine
    /// whose speed changes over the run (a VM whose vCPUs the host moves)
    /// then slows zerobuffer and its baselines alike.
    unsigned rounds = 4;
};

/// The ring of a throughput measurement of `size`-byte frames.
std::uint64_t ring_size(const settings& s, std::uint64_t size);

/// How many `size`-byte frames a stream's writer writes between two looks at
/// the clock: often enough, rarely enough to not matter.
std::uint64_t stream_batch(std::uint64_t size) noexcept;

struct cpu_times {
    double user = 0;
    double system = 0;
    double total() const noexcept { return user + system; }
};
cpu_times operator-(const cpu_times& a, const cpu_times& b) noexcept;
cpu_times operator+(const cpu_times& a, const cpu_times& b) noexcept;
/// This process's CPU time so far (getrusage RUSAGE_SELF).
cpu_times process_cpu_times() noexcept;

/// Pins this process to `cpu` (nothing when empty); throws on failure.
void pin_to(std::optional<int> cpu);

/// A unique buffer name for one measurement.
std::string unique_name(const std::string& what);

struct throughput_result {
    std::uint64_t size = 0;
    std::uint64_t frames = 0; ///< frames the reader consumed in the window
    double seconds = 0;
    double frames_per_s = 0;
    double gib_per_s = 0;
    cpu_times writer_cpu;
    cpu_times reader_cpu;
};

struct memcpy_result {
    std::uint64_t size = 0;
    std::uint64_t ring_size = 0; ///< the destination walked, as big as the ring
    std::uint64_t copies = 0;    ///< in the measured window
    double seconds = 0;
    double copies_per_s = 0;
    double gib_per_s = 0;
};

/// GiB/s of `per_s` items of `size` bytes each.
double gib_per_s(double per_s, std::uint64_t size) noexcept;

/// One throughput measurement made of rounds taken at different times: their
/// frames over their seconds, their CPU times added up.
throughput_result merge_rounds(const std::vector<throughput_result>& rounds);
/// The same for the memcpy baseline.
memcpy_result merge_rounds(const std::vector<memcpy_result>& rounds);

struct latency_result {
    std::string name;
    std::uint64_t size = 0;
    std::size_t samples = 0;
    double seconds = 0;
    double min_us = 0, median_us = 0, p99_us = 0, p999_us = 0, mean_us = 0, max_us = 0;
    /// The middle sample itself; `median_us` is placed within the clock's
    /// step (see bench_stats.hpp).
    double median_raw_us = 0;
    cpu_times ping_cpu; ///< the timing side
    cpu_times pong_cpu; ///< the echoing side
    /// Every round trip, ascending, until `merge_rounds` folds the rounds.
    std::vector<double> samples_us;
};

/// One measurement made of `rounds` (same name and size, taken at different
/// times): all their round trips, seconds and CPU times together.
latency_result merge_rounds(std::vector<latency_result> rounds);

/// The two processes of a measurement meet here: an anonymous shared mapping
/// made before the fork.
struct shared_state {
    std::atomic<int> phase{0}; ///< 0 warm-up, 1 measuring, 2 done
    std::atomic<int> stop{0};
    std::atomic<std::uint64_t> frames{0}; ///< consumed by the child
    std::atomic<int> child_cpu_ready{0};
    cpu_times child_cpu;      ///< the child's CPU time in the window
    double child_seconds = 0; ///< the window's length, when the child times it itself
    sem_t ping;               ///< the semaphore baseline
    sem_t pong;
};

class shared_block {
public:
    shared_block();
    shared_block(const shared_block&) = delete;
    shared_block& operator=(const shared_block&) = delete;
    ~shared_block();
    shared_state& operator*() const noexcept { return *state_; }
    shared_state* operator->() const noexcept { return state_; }

private:
    shared_state* state_;
};

/// Child side: takes its CPU time when the parent opens and closes the window.
class phase_watcher {
public:
    explicit phase_watcher(shared_state& s) noexcept : state_(s) {}
    /// Call once per message; cheap while the phase does not change.
    void poll() noexcept
    {
        const int p = state_.phase.load(std::memory_order_relaxed);
        if (p != seen_) {
            transition(p);
        }
    }
    /// Publishes the window's CPU time (the whole run if the window never closed).
    void finish() noexcept;

private:
    void transition(int phase) noexcept;

    shared_state& state_;
    int seen_ = 0;
    cpu_times start_;
    bool published_ = false;
};

/// Parent side: the child's CPU time in the window, once it exited.
cpu_times child_cpu(const shared_state& s) noexcept;

/// The nearest-rank quantile `q` of `sorted` (ascending, not empty): the
/// smallest sample with at least a fraction q of them at or below it.
double nearest_rank(const std::vector<double>& sorted, double q) noexcept;

/// The step the steady clock counts in, in microseconds (0: none coarser than
/// 2 ns); measured once per process.
double steady_clock_step_us();

/// Fills min/median/p99/p99.9/mean/max from round-trip times in microseconds.
void summarize(std::vector<double>& us, latency_result& r);

/// The measured window of a loop of round trips, for a loop whose round trip
/// is not one call (a coroutine's `co_await`s); `time_round_trips` is the
/// plain form. Call `next()` before each round trip: true through the
/// warm-up, then through the window (opened and closed in `state` for the
/// child), then once more after it, so that the child sees it closed; false
/// after that one.
class round_trip_timer {
public:
    round_trip_timer(const settings& s, shared_state& state)
        : duration_(s.duration), latency_size_(s.latency_size), state_(state),
          end_(clock_type::now() + s.warmup)
    {
        us_.reserve(1 << 20);
    }

    bool next()
    {
        const auto now = clock_type::now();
        switch (stage_) {
        case stage::warming:
            if (now >= end_) {
                open();
            }
            return true;
        case stage::measuring:
            us_.push_back(std::chrono::duration<double, std::micro>(now - last_).count());
            last_ = now;
            if (now >= end_ || us_.size() >= max_samples) {
                close();
            }
            return true;
        case stage::closed: stage_ = stage::done; return false;
        case stage::done: break;
        }
        return false;
    }

    /// The window's figures and this side's CPU time in it, named `name`;
    /// its size is the headline size (callers of other sizes set theirs).
    latency_result result(const std::string& name)
    {
        latency_result r;
        r.name = name;
        r.size = latency_size_;
        r.seconds = std::chrono::duration<double>(last_ - t0_).count();
        r.ping_cpu = cpu1_ - cpu0_;
        summarize(us_, r);
        r.samples_us = std::move(us_);
        return r;
    }

private:
    static constexpr std::size_t max_samples = 20'000'000;
    enum class stage { warming, measuring, closed, done };

    void open()
    {
        state_.phase.store(1, std::memory_order_relaxed);
        cpu0_ = process_cpu_times();
        t0_ = last_ = clock_type::now();
        end_ = t0_ + duration_;
        stage_ = stage::measuring;
    }
    void close()
    {
        cpu1_ = process_cpu_times();
        state_.phase.store(2, std::memory_order_relaxed);
        stage_ = stage::closed;
    }

    std::chrono::nanoseconds duration_;
    std::uint64_t latency_size_;
    shared_state& state_;
    stage stage_ = stage::warming;
    clock_type::time_point end_;
    clock_type::time_point t0_, last_;
    cpu_times cpu0_, cpu1_;
    std::vector<double> us_;
};

/// Times `round_trip()` calls: warm-up, then as many as fit in the duration,
/// opening and closing the window in `state` for the child. One more round
/// trip after the window lets the child see that it closed.
template <class RoundTrip>
latency_result time_round_trips(const std::string& name, const settings& s, shared_state& state,
                                RoundTrip&& round_trip)
{
    round_trip_timer timer(s, state);
    while (timer.next()) {
        round_trip();
    }
    return timer.result(name);
}

/// The measured window of a one-way stream, for its writer's loop: call
/// `more()` before each batch of frames; true through the warm-up and the
/// window (opened and closed in `state` for the child, the frames it
/// consumed read from `state.frames`), false after. The writer then writes
/// one more frame, on which the reader sees the window close.
class throughput_window {
public:
    throughput_window(const settings& s, shared_state& state) noexcept;
    bool more() noexcept;
    /// The window's frames, rate and this side's CPU time; the reader's CPU
    /// time is `child_cpu(state)` once the child exited.
    throughput_result result(std::uint64_t size) const noexcept;

private:
    enum class stage { warming, measuring, done };

    std::chrono::nanoseconds duration_;
    shared_state& state_;
    stage stage_ = stage::warming;
    clock_type::time_point end_, t0_, t1_;
    std::uint64_t read0_ = 0, read1_ = 0;
    cpu_times cpu0_, cpu1_;
};

} // namespace zerobuffer::tool::bench

#endif // ZEROBUFFER_TOOL_BENCH_SUPPORT_HPP
