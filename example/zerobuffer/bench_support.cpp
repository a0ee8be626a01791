// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "bench_support.hpp"
#include "bench_stats.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <new>
#include <numeric>
#include <stdexcept>

#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

namespace zerobuffer::tool::bench {

std::uint64_t ring_size(const settings& s, std::uint64_t size)
{
    if (s.payload_size != 0) {
        return s.payload_size;
    }
    // Room for several frames in flight, and never less than 4 MiB.
    return std::max<std::uint64_t>(std::uint64_t{4} << 20, 8 * (size + 16));
}

std::uint64_t stream_batch(std::uint64_t size) noexcept
{
    return std::clamp<std::uint64_t>((256 * 1024) / size, 1, 4096);
}

cpu_times operator-(const cpu_times& a, const cpu_times& b) noexcept
{
    return {a.user - b.user, a.system - b.system};
}

cpu_times operator+(const cpu_times& a, const cpu_times& b) noexcept
{
    return {a.user + b.user, a.system + b.system};
}

cpu_times process_cpu_times() noexcept
{
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    const auto secs = [](const timeval& tv) {
        return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) * 1e-6;
    };
    return {secs(ru.ru_utime), secs(ru.ru_stime)};
}

void pin_to(std::optional<int> cpu)
{
    if (!cpu) {
        return;
    }
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(*cpu, &set);
    if (::sched_setaffinity(0, sizeof set, &set) != 0) {
        throw std::runtime_error("cannot pin to CPU " + std::to_string(*cpu) + ": " +
                                 std::strerror(errno));
    }
}

std::string unique_name(const std::string& what)
{
    return "zerobuffer-bench-" + what + "-" + std::to_string(::getpid()) + "-" +
           std::to_string(clock_type::now().time_since_epoch().count());
}

shared_block::shared_block()
{
    void* p = ::mmap(nullptr, sizeof(shared_state), PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        throw std::runtime_error(std::string("mmap: ") + std::strerror(errno));
    }
    state_ = new (p) shared_state;
}

shared_block::~shared_block()
{
    state_->~shared_state();
    ::munmap(state_, sizeof(shared_state));
}

void phase_watcher::transition(int phase) noexcept
{
    if (phase == 1) {
        start_ = process_cpu_times();
    } else if (phase == 2 && !published_) {
        state_.child_cpu = process_cpu_times() - start_;
        state_.child_cpu_ready.store(1, std::memory_order_release);
        published_ = true;
    }
    seen_ = phase;
}

void phase_watcher::finish() noexcept
{
    if (!published_) {
        transition(2);
    }
}

cpu_times child_cpu(const shared_state& s) noexcept
{
    if (s.child_cpu_ready.load(std::memory_order_acquire) == 0) {
        return {std::nan(""), std::nan("")};
    }
    return s.child_cpu;
}

throughput_window::throughput_window(const settings& s, shared_state& state) noexcept
    : duration_(s.duration), state_(state), end_(clock_type::now() + s.warmup)
{
}

bool throughput_window::more() noexcept
{
    const auto now = clock_type::now();
    if (stage_ == stage::done || now < end_) {
        return stage_ != stage::done;
    }
    if (stage_ == stage::warming) {
        state_.phase.store(1, std::memory_order_relaxed);
        cpu0_ = process_cpu_times();
        t0_ = clock_type::now();
        read0_ = state_.frames.load(std::memory_order_relaxed);
        end_ = t0_ + duration_;
        stage_ = stage::measuring;
        return true;
    }
    t1_ = clock_type::now();
    read1_ = state_.frames.load(std::memory_order_relaxed);
    cpu1_ = process_cpu_times();
    state_.phase.store(2, std::memory_order_relaxed);
    stage_ = stage::done;
    return false;
}

throughput_result throughput_window::result(std::uint64_t size) const noexcept
{
    throughput_result r;
    r.size = size;
    r.frames = read1_ - read0_;
    r.seconds = std::chrono::duration<double>(t1_ - t0_).count();
    r.frames_per_s = r.seconds > 0 ? static_cast<double>(r.frames) / r.seconds : 0;
    r.gib_per_s = gib_per_s(r.frames_per_s, size);
    r.writer_cpu = cpu1_ - cpu0_;
    return r;
}

double nearest_rank(const std::vector<double>& sorted, double q) noexcept
{
    const auto k = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(k, 1, sorted.size()) - 1];
}

double steady_clock_step_us()
{
    static const double step = [] {
        std::vector<std::int64_t> deltas(200'000);
        auto last = clock_type::now();
        for (auto& d : deltas) {
            const auto now = clock_type::now();
            d = std::chrono::duration_cast<std::chrono::nanoseconds>(now - last).count();
            last = now;
        }
        return clock_step_ns(deltas) / 1000.0;
    }();
    return step;
}

void summarize(std::vector<double>& us, latency_result& r)
{
    r.samples = us.size();
    if (us.empty()) {
        return;
    }
    std::sort(us.begin(), us.end());
    r.min_us = us.front();
    r.max_us = us.back();
    r.median_raw_us = nearest_rank(us, 0.5);
    r.p99_us = nearest_rank(us, 0.99);
    r.p999_us = nearest_rank(us, 0.999);
    // Within the step, but never past the 99th percentile's sample (when
    // nearly every sample reads the same step, the two share it).
    r.median_us = std::min(stepped_median(us, steady_clock_step_us()), r.p99_us);
    r.mean_us = std::accumulate(us.begin(), us.end(), 0.0) / static_cast<double>(us.size());
}

latency_result merge_rounds(std::vector<latency_result> rounds)
{
    latency_result r;
    if (rounds.empty()) {
        return r;
    }
    r.name = rounds.front().name;
    r.size = rounds.front().size;
    std::vector<double> us;
    for (auto& round : rounds) {
        r.seconds += round.seconds;
        r.ping_cpu = r.ping_cpu + round.ping_cpu;
        r.pong_cpu = r.pong_cpu + round.pong_cpu;
        us.insert(us.end(), round.samples_us.begin(), round.samples_us.end());
        round.samples_us = {};
    }
    summarize(us, r); // the samples are not kept: the report needs the figures
    return r;
}

double gib_per_s(double per_s, std::uint64_t size) noexcept
{
    return per_s * static_cast<double>(size) / (1024.0 * 1024.0 * 1024.0);
}

throughput_result merge_rounds(const std::vector<throughput_result>& rounds)
{
    throughput_result r;
    if (rounds.empty()) {
        return r;
    }
    r.size = rounds.front().size;
    for (const auto& round : rounds) {
        r.frames += round.frames;
        r.seconds += round.seconds;
        r.writer_cpu = r.writer_cpu + round.writer_cpu;
        r.reader_cpu = r.reader_cpu + round.reader_cpu;
    }
    r.frames_per_s = r.seconds > 0 ? static_cast<double>(r.frames) / r.seconds : 0;
    r.gib_per_s = gib_per_s(r.frames_per_s, r.size);
    return r;
}

memcpy_result merge_rounds(const std::vector<memcpy_result>& rounds)
{
    memcpy_result r;
    if (rounds.empty()) {
        return r;
    }
    r.size = rounds.front().size;
    r.ring_size = rounds.front().ring_size;
    for (const auto& round : rounds) {
        r.copies += round.copies;
        r.seconds += round.seconds;
    }
    r.copies_per_s = r.seconds > 0 ? static_cast<double>(r.copies) / r.seconds : 0;
    r.gib_per_s = gib_per_s(r.copies_per_s, r.size);
    return r;
}

} // namespace zerobuffer::tool::bench
