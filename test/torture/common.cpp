// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Shared pieces of zerobuffer_torture: slots, sizes, checks, the session tracker.

#include "torture.hpp"

#include <zerobuffer/detail/liveness.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/writer.hpp>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <new>
#include <system_error>

#include <dirent.h>
#include <fcntl.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace zerobuffer::torture {

using zerobuffer::testing::test_data_patterns;

std::string_view to_string(write_phase p) noexcept
{
    switch (p) {
    case write_phase::idle: return "idle";
    case write_phase::reserving: return "reserving";
    case write_phase::reserved: return "reserved";
    case write_phase::committing: return "committing";
    case write_phase::writing: return "writing";
    }
    return "?";
}

std::string_view to_string(wait_kind k) noexcept
{
    switch (k) {
    case wait_kind::blocking: return "blocking";
    case wait_kind::spin_then_block: return "spin_then_block";
    case wait_kind::busy_poll: return "busy_poll";
    }
    return "?";
}

void* map_shared(std::size_t bytes)
{
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        throw std::system_error(errno, std::generic_category(), "mmap of shared slots");
    }
    return p;
}

void unmap_shared(void* p, std::size_t bytes) noexcept
{
    ::munmap(p, bytes);
}

std::size_t frame_size(std::uint64_t seed, std::uint64_t slot, std::uint64_t seq,
                       std::size_t max_frame) noexcept
{
    if (seq == 1) {
        return 1 + static_cast<std::size_t>(slot % std::min<std::size_t>(max_frame, 8192));
    }
    const std::uint64_t h = mix(seed ^ mix(slot * 0x100000001b3ULL + seq));
    const unsigned kind = static_cast<unsigned>(h % 10);
    const std::size_t limit = std::min<std::size_t>(kind < 5   ? 256
                                                    : kind < 8 ? 4096
                                                               : max_frame,
                                                    max_frame);
    return 1 + static_cast<std::size_t>((h >> 8) % limit);
}

std::size_t max_frame_for(std::size_t payload) noexcept
{
    return payload / 2 - 16;
}

std::uint64_t uniform(std::mt19937_64& rng, std::uint64_t lo, std::uint64_t hi)
{
    return std::uniform_int_distribution<std::uint64_t>(lo, hi)(rng);
}

bool chance(std::mt19937_64& rng, unsigned percent)
{
    return uniform(rng, 0, 99) < percent;
}

wait_strategy random_wait(std::mt19937_64& rng)
{
    wait_strategy w;
    const auto r = uniform(rng, 0, 99);
    if (r < 45) {
        w = wait_strategy::blocking();
    } else if (r < 90) {
        w = wait_strategy::spin_then_block(std::chrono::microseconds(uniform(rng, 0, 50)));
    } else {
        w = wait_strategy::busy_poll();
    }
    if (chance(rng, 50)) {
        w.liveness_interval = std::chrono::milliseconds(uniform(rng, 10, 100));
    }
    return w;
}

void spin_for(std::chrono::nanoseconds d) noexcept
{
    const auto end = clock::now() + d;
    while (clock::now() < end) {
#if defined(__x86_64__) || defined(__i386__)
        _mm_pause();
#endif
    }
}

void run_report::fail(const std::string& what)
{
    ++violations_;
    std::cerr << "zerobuffer_torture " << mode_ << ": VIOLATION: " << what << std::endl;
}

int kill_and_reap(pid_t pid, bool kill)
{
    if (kill) {
        ::kill(pid, SIGKILL);
    }
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid, &status, 0);
    } while (r < 0 && errno == EINTR);
    return status;
}

std::string describe_status(int status)
{
    if (WIFEXITED(status)) {
        return "exit code " + std::to_string(WEXITSTATUS(status));
    }
    if (WIFSIGNALED(status)) {
        return "killed by signal " + std::to_string(WTERMSIG(status));
    }
    return "status " + std::to_string(status);
}

std::vector<std::string> leftovers(const std::string& name)
{
    std::vector<std::string> found;
    const resource_names names = names_of(name);
    const std::string candidates[] = {
        "/dev/shm" + names.segment,
        "/dev/shm/sem." + names.write_semaphore.substr(1),
        "/dev/shm/sem." + names.read_semaphore.substr(1),
        names.lock_file,
    };
    for (const std::string& path : candidates) {
        struct stat st {};
        if (::lstat(path.c_str(), &st) == 0) {
            found.push_back(path);
        }
    }
    const std::string& dir = detail::writer_lock_directory();
    if (DIR* d = ::opendir(dir.c_str())) {
        const std::string prefix = name + ".";
        while (const dirent* e = ::readdir(d)) {
            const std::string_view file = e->d_name;
            if (file.starts_with(prefix) && file.ends_with(".lock")) {
                found.push_back(dir + "/" + std::string(file));
            }
        }
        ::closedir(d);
    }
    return found;
}

std::string describe_buffer(const reader& r)
{
    const auto s = r.health().oieb;
    std::string d = "payload_size=" + std::to_string(s.payload_size) +
                    " free=" + std::to_string(s.payload_free_bytes) +
                    " write_pos=" + std::to_string(s.payload_write_pos) +
                    " read_pos=" + std::to_string(s.payload_read_pos) +
                    " written_count=" + std::to_string(s.payload_written_count) +
                    " read_count=" + std::to_string(s.payload_read_count) +
                    " writer_pid=" + std::to_string(s.writer_pid) +
                    " reader_pid=" + std::to_string(s.reader_pid);
    const resource_names names = names_of(r.name());
    for (const std::string& sem_name : {names.write_semaphore, names.read_semaphore}) {
        sem_t* sem = ::sem_open(sem_name.c_str(), 0);
        int value = -1;
        if (sem != SEM_FAILED) {
            ::sem_getvalue(sem, &value);
            ::sem_close(sem);
        }
        d += " " + sem_name.substr(1, 5) + "=" + std::to_string(value);
    }
    return d;
}

std::string counters_consistent(const reader& r)
{
    const auto s = r.health().oieb;
    std::string why;
    if (s.payload_free_bytes != s.payload_size) {
        why += " free_bytes=" + std::to_string(s.payload_free_bytes) +
               " of payload_size=" + std::to_string(s.payload_size);
    }
    if (s.payload_written_count != s.payload_read_count) {
        why += " written_count=" + std::to_string(s.payload_written_count) +
               " read_count=" + std::to_string(s.payload_read_count);
    }
    if (s.payload_size == 0 ||
        s.payload_write_pos % s.payload_size != s.payload_read_pos % s.payload_size) {
        why += " write_pos=" + std::to_string(s.payload_write_pos) +
               " read_pos=" + std::to_string(s.payload_read_pos);
    }
    return why;
}

// ---------------------------------------------------------------------------

void session_tracker::on_frame(const frame& f, std::size_t spawned)
{
    ++frames_;
    bytes_ += f.size();
    const std::uint64_t seq = f.sequence();
    if (seq == 1 && !resync_) {
        // A new writer session: find its slot by the size of its first frame.
        const std::size_t modulus = std::min<std::size_t>(max_frame_, 8192);
        std::int64_t slot = -1;
        for (std::size_t k = static_cast<std::size_t>(std::max(cur_, accounted_) + 1); k < spawned;
             ++k) {
            if (1 + k % modulus == f.size()) {
                slot = static_cast<std::int64_t>(k);
                break;
            }
        }
        if (slot < 0) {
            report_.fail("a frame with sequence 1 and size " + std::to_string(f.size()) +
                         " belongs to no writer after slot " + std::to_string(cur_));
            resync_ = true;
            return;
        }
        if (cur_ > accounted_) {
            account(static_cast<std::size_t>(cur_), delivered_, "when the next session began");
        }
        for (std::int64_t k = accounted_ + 1; k < slot; ++k) {
            account(static_cast<std::size_t>(k), 0, "when a later session began");
        }
        cur_ = slot;
        delivered_ = 1;
        expected_ = 2;
        ++sessions_;
    } else if (resync_) {
        resync_ = false;
        expected_ = seq + 1;
        ++delivered_;
    } else if (cur_ < 0 || cur_ <= accounted_ || seq != expected_) {
        report_.fail("sequence " + std::to_string(seq) + " delivered, expected " +
                     std::to_string(cur_ <= accounted_ ? 1 : expected_) + " (slot " +
                     std::to_string(cur_) + ")");
        expected_ = seq + 1;
        ++delivered_;
        return;
    } else {
        ++expected_;
        ++delivered_;
    }
    if (cur_ >= 0) {
        const std::size_t want =
            frame_size(seed_, static_cast<std::uint64_t>(cur_), seq, max_frame_);
        if (f.size() != want) {
            report_.fail("frame " + std::to_string(seq) + " of slot " + std::to_string(cur_) +
                         " has size " + std::to_string(f.size()) + ", expected " +
                         std::to_string(want));
        }
    }
    const std::size_t bad = test_data_patterns::first_frame_mismatch(f.bytes(), seq);
    if (bad != f.size()) {
        report_.fail("torn frame: sequence " + std::to_string(seq) + " size " +
                     std::to_string(f.size()) + " breaks the pattern at byte " +
                     std::to_string(bad) + " (slot " + std::to_string(cur_) + ")");
    }
}

void session_tracker::on_end_event(errc e)
{
    if (cur_ >= 0 && cur_ > accounted_) {
        const auto slot = static_cast<std::size_t>(cur_);
        if (slots_[slot].ending.load() == 0) {
            report_.fail(std::string(to_string(e)) + " reported while slot " +
                         std::to_string(cur_) + " (pid " + std::to_string(slots_[slot].pid.load()) +
                         "), whose frames are being delivered, is still running");
        }
        account(slot, delivered_,
                to_string(e) == "writer_dead" ? "at writer_dead" : "at writer_disconnected");
    }
    delivered_ = 0;
    expected_ = 1;
    resync_ = false;
}

void session_tracker::finish(std::size_t spawned)
{
    if (cur_ > accounted_) {
        account(static_cast<std::size_t>(cur_), delivered_, "at the end");
    }
    for (auto k = static_cast<std::size_t>(accounted_ + 1); k < spawned; ++k) {
        account(k, 0, "at the end");
    }
}

void session_tracker::account(std::size_t slot, std::uint64_t delivered, const char* when)
{
    const writer_slot& s = slots_[slot];
    const std::uint64_t committed = s.committed.load();
    const auto phase = static_cast<write_phase>(s.phase.load());
    // A writer that died inside a commit may have published one more frame
    // than it could report.
    const bool maybe_one_more = phase == write_phase::committing || phase == write_phase::writing;
    if (delivered == committed + 1 && maybe_one_more) {
        ++unreported_;
    } else if (delivered != committed) {
        report_.fail("slot " + std::to_string(slot) + " (pid " + std::to_string(s.pid.load()) +
                     ") committed " + std::to_string(committed) + " frames (last phase " +
                     std::string(to_string(phase)) + ") but " + std::to_string(delivered) +
                     " were delivered " + when);
    }
    accounted_ = static_cast<std::int64_t>(slot);
}

// ---------------------------------------------------------------------------

std::string check_name_reusable(const std::string& name)
{
    using testing::test_data_patterns;
    try {
        buffer_config cfg;
        cfg.payload_size = 64 * 1024;
        reader r(name, cfg);
        writer w(name);
        std::vector<std::byte> data;
        constexpr std::uint64_t count = 200;
        for (std::uint64_t seq = 1; seq <= count; ++seq) {
            const std::size_t size = 1 + (seq * 977) % 20000;
            data = test_data_patterns::frame_data(size, seq);
            w.write_frame(data);
            frame f = r.read_frame(5s);
            if (!f || f.sequence() != seq || f.size() != size ||
                !test_data_patterns::verify_frame(f.bytes(), seq)) {
                return "frame " + std::to_string(seq) + " did not arrive intact";
            }
        }
        w.close();
        boost::system::error_code ec;
        frame f = r.read_frame(5s, ec);
        if (ec != errc::writer_disconnected) {
            return "expected writer_disconnected after close, got " +
                   (ec ? ec.message() : std::string(f ? "a frame" : "a timeout"));
        }
        if (auto why = counters_consistent(r); !why.empty()) {
            return "counters after the exchange:" + why;
        }
        r.close();
    } catch (const std::exception& e) {
        return std::string("exception: ") + e.what();
    }
    if (auto left = leftovers(name); !left.empty()) {
        return "resources left after close: " + left.front();
    }
    return {};
}

} // namespace zerobuffer::torture
