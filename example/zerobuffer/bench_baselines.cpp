// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The baselines of `bench`, measured the same way as zerobuffer: memcpy into
// a ring-sized buffer on one core, and round trips between two processes through a pair
// of POSIX semaphores, two pipes, and a Unix domain socket pair.

#include "bench_measure.hpp"
#include "bench_process.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <vector>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace zerobuffer::tool::bench {

namespace {

using namespace std::chrono_literals;

std::runtime_error system_failure(const std::string& what)
{
    return std::runtime_error(what + ": " + std::strerror(errno));
}

/// Reads exactly `n` bytes; false on end of file.
bool read_exact(int fd, std::byte* p, std::size_t n)
{
    while (n != 0) {
        const ssize_t r = ::read(fd, p, n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            throw system_failure("read");
        }
        if (r == 0) {
            return false;
        }
        p += r;
        n -= static_cast<std::size_t>(r);
    }
    return true;
}

void write_all(int fd, const std::byte* p, std::size_t n)
{
    while (n != 0) {
        const ssize_t r = ::write(fd, p, n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            throw system_failure("write");
        }
        p += r;
        n -= static_cast<std::size_t>(r);
    }
}

bool wait_semaphore(sem_t* sem, std::chrono::seconds limit)
{
    timespec deadline{};
    ::clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += limit.count();
    for (;;) {
        if (::sem_timedwait(sem, &deadline) == 0) {
            return true;
        }
        if (errno != EINTR) {
            return false;
        }
    }
}

/// Round trips through a byte stream: `parent_fd` is ours, the child echoes
/// on `child_fd`. Ends when we close ours (the child reads end of file).
latency_result stream_latency(const std::string& label, const settings& s, int parent_read,
                              int parent_write, int child_read, int child_write)
{
    const shared_block block;
    shared_state& state = *block;
    child_process child = child_process::fork_function([&] {
        ::close(parent_read);
        if (parent_write != parent_read) {
            ::close(parent_write);
        }
        pin_to(s.child_cpu);
        phase_watcher watcher(state);
        std::vector<std::byte> buf(s.latency_size);
        while (read_exact(child_read, buf.data(), buf.size())) {
            write_all(child_write, buf.data(), buf.size());
            watcher.poll();
        }
        watcher.finish();
        return 0;
    });
    ::close(child_read);
    if (child_write != child_read) {
        ::close(child_write);
    }
    std::vector<std::byte> message(s.latency_size, std::byte{0x5a});
    std::vector<std::byte> reply(s.latency_size);
    latency_result r = time_round_trips(label, s, state, [&] {
        write_all(parent_write, message.data(), message.size());
        if (!read_exact(parent_read, reply.data(), reply.size())) {
            throw std::runtime_error("the echo process closed its end");
        }
    });
    ::close(parent_write);
    if (parent_read != parent_write) {
        ::close(parent_read);
    }
    finish_child(child, "echo");
    r.pong_cpu = child_cpu(state);
    return r;
}

} // namespace

memcpy_result memcpy_into_ring(const settings& s, std::uint64_t size)
{
    const auto n = static_cast<std::size_t>(size);
    const std::size_t ring =
        static_cast<std::size_t>(std::max<std::uint64_t>(ring_size(s, size), size));
    const std::vector<std::byte> src(n, std::byte{0x5a});
    std::vector<std::byte> dst(ring, std::byte{0});
    // Copy to successive places of a ring-sized destination, as frames land in
    // the ring (with room for a frame header), so caches see the same footprint.
    std::size_t offset = 0;
    std::uint64_t copies = 0;
    const std::uint64_t batch = std::clamp<std::uint64_t>((256 * 1024) / size, 1, 4096);
    const auto run_until = [&](clock_type::time_point end) {
        while (clock_type::now() < end) {
            for (std::uint64_t i = 0; i < batch; ++i) {
                if (offset + n > ring) {
                    offset = 0;
                }
                std::memcpy(dst.data() + offset, src.data(), n);
                offset += n + 16;
            }
            copies += batch;
            // The copies must happen: the compiler cannot see who reads them.
            asm volatile("" : : "r"(dst.data()) : "memory");
        }
    };
    run_until(clock_type::now() + s.warmup);
    copies = 0;
    const auto t0 = clock_type::now();
    run_until(t0 + s.duration);
    const double secs = std::chrono::duration<double>(clock_type::now() - t0).count();

    memcpy_result r;
    r.size = size;
    r.ring_size = ring;
    r.copies = copies;
    r.seconds = secs;
    r.copies_per_s = static_cast<double>(copies) / secs;
    r.gib_per_s = gib_per_s(r.copies_per_s, size);
    return r;
}

latency_result semaphore_latency(const settings& s)
{
    const shared_block block;
    shared_state& state = *block;
    if (::sem_init(&state.ping, 1, 0) != 0 || ::sem_init(&state.pong, 1, 0) != 0) {
        throw system_failure("sem_init");
    }
    child_process child = child_process::fork_function([&] {
        pin_to(s.child_cpu);
        phase_watcher watcher(state);
        for (;;) {
            if (!wait_semaphore(&state.ping, 30s)) {
                throw std::runtime_error("semaphore echo: nothing for 30 s");
            }
            if (state.stop.load(std::memory_order_acquire) != 0) {
                break;
            }
            ::sem_post(&state.pong);
            watcher.poll();
        }
        watcher.finish();
        return 0;
    });
    latency_result r = time_round_trips("semaphore", s, state, [&] {
        ::sem_post(&state.ping);
        if (!wait_semaphore(&state.pong, 5s)) {
            throw std::runtime_error("semaphore: no echo within 5 s");
        }
    });
    state.stop.store(1, std::memory_order_release);
    ::sem_post(&state.ping);
    finish_child(child, "echo");
    r.pong_cpu = child_cpu(state);
    r.size = 0; // a semaphore carries no data
    ::sem_destroy(&state.ping);
    ::sem_destroy(&state.pong);
    return r;
}

latency_result pipe_latency(const settings& s)
{
    int to_child[2];
    int to_parent[2];
    if (::pipe2(to_child, O_CLOEXEC) != 0) {
        throw system_failure("pipe2");
    }
    if (::pipe2(to_parent, O_CLOEXEC) != 0) {
        ::close(to_child[0]);
        ::close(to_child[1]);
        throw system_failure("pipe2");
    }
    return stream_latency("pipe", s, to_parent[0], to_child[1], to_child[0], to_parent[1]);
}

latency_result unix_socket_latency(const settings& s)
{
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        throw system_failure("socketpair");
    }
    return stream_latency("unix_socket", s, sv[0], sv[0], sv[1], sv[1]);
}

} // namespace zerobuffer::tool::bench
