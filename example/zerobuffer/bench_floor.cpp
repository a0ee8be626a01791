// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The busy-poll floor of `bench`: the fastest any shared-memory round trip
// between two processes can be on this machine. Each side owns one cache
// line of a shared anonymous mapping; a message is a sequence number stored
// with release semantics, and the peer spins on plain acquire loads until it
// sees it. No semaphore, no syscall, no frame header: what is left is the
// cost of moving two cache lines between two cores, which is what the
// zerobuffer round trips are compared against.

#include "bench_measure.hpp"
#include "bench_process.hpp"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <limits>
#include <new>
#include <stdexcept>

#include <sys/mman.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace zerobuffer::tool::bench {

namespace {

using namespace std::chrono_literals;

/// One side's line: 64-byte aligned so the two never share a cache line
/// (false sharing would add the very traffic the floor is free of).
struct alignas(64) line {
    std::atomic<std::uint64_t> value{0};
};

struct lines {
    line ping; ///< written by the timing side
    line pong; ///< written by the echoing side
};

/// Tells the peer we are done: no real sequence number reaches it.
constexpr std::uint64_t stop_value = std::numeric_limits<std::uint64_t>::max();

void cpu_relax() noexcept
{
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
}

/// Spins until `l` holds `want` (or, for the echo side, `stop_value`); checks
/// the clock only every few thousand spins so the check costs nothing, and
/// gives up after `limit` so a dead peer cannot hang us.
std::uint64_t spin_until(const line& l, std::uint64_t want, std::chrono::seconds limit)
{
    clock_type::time_point deadline{};
    for (std::uint32_t spins = 1;; ++spins) {
        const std::uint64_t v = l.value.load(std::memory_order_acquire);
        if (v == want || v == stop_value) {
            return v;
        }
        cpu_relax();
        if (spins % 4096 == 0) {
            const auto now = clock_type::now();
            if (deadline == clock_type::time_point{}) {
                deadline = now + limit;
            } else if (now >= deadline) {
                throw std::runtime_error("busy-poll floor: the peer went silent");
            }
        }
    }
}

/// The two lines, in a mapping both processes share after the fork.
class shared_lines {
public:
    shared_lines()
    {
        void* p = ::mmap(nullptr, sizeof(lines), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
                         -1, 0);
        if (p == MAP_FAILED) {
            throw std::runtime_error(std::string("mmap: ") + std::strerror(errno));
        }
        lines_ = new (p) lines;
    }
    shared_lines(const shared_lines&) = delete;
    shared_lines& operator=(const shared_lines&) = delete;
    ~shared_lines()
    {
        lines_->~lines();
        ::munmap(lines_, sizeof(lines));
    }
    lines* operator->() const noexcept { return lines_; }

private:
    lines* lines_;
};

} // namespace

latency_result busy_poll_floor_latency(const settings& s)
{
    static_assert(std::atomic<std::uint64_t>::is_always_lock_free,
                  "cross-process atomics must be lock-free");
    const shared_block block;
    shared_state& state = *block;
    const shared_lines shared;

    child_process child = child_process::fork_function([&] {
        pin_to(s.child_cpu);
        phase_watcher watcher(state);
        for (std::uint64_t seq = 1;; ++seq) {
            if (spin_until(shared->ping, seq, 30s) == stop_value) {
                break;
            }
            shared->pong.value.store(seq, std::memory_order_release);
            watcher.poll();
        }
        watcher.finish();
        return 0;
    });

    std::uint64_t seq = 0;
    latency_result r = time_round_trips("busy_poll_floor", s, state, [&] {
        shared->ping.value.store(++seq, std::memory_order_release);
        if (spin_until(shared->pong, seq, 5s) != seq) {
            throw std::runtime_error("busy-poll floor: the echo side stopped");
        }
    });
    shared->ping.value.store(stop_value, std::memory_order_release);
    finish_child(child, "echo");
    r.pong_cpu = child_cpu(state);
    r.size = 8; // one sequence number each way
    return r;
}

} // namespace zerobuffer::tool::bench
