// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// token_soak: proves that no semaphore count of a buffer ever climbs towards
// SEM_VALUE_MAX (2^31 - 1, where sem_post fails with EOVERFLOW) however many
// frames stream through it.
//
// One process, one thread: a reader (busy_poll) and a writer attached to it.
// Each step writes a 1-byte frame and reads and releases the previous one, so
// the reader always finds a frame and the writer always finds space: nobody
// ever waits on a semaphore, and only the bulk drains (the writer's of sem-r,
// the reader's of sem-w) keep the counts down. By default more than 2^31
// frames go through, more than a semaphore could count.
//
// The counts are sampled with sem_getvalue about every 2^20 frames; the
// stride is not a power of two, so the samples walk across the drain cycles
// (a stride of exactly 2^20 would always look at the same point of them).
//
// Fails (exit 1) when a count exceeds its bound, a write or read reports an
// error, or a frame is not the one expected. Exit 2 on a usage error.
//
// usage: token_soak [--frames N]

#include <zerobuffer/protocol/layout.hpp>
#include <zerobuffer/reader.hpp>
#include <zerobuffer/resources.hpp>
#include <zerobuffer/writer.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iomanip>
#include <iostream>
#include <span>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <semaphore.h>
#include <unistd.h>

namespace {

using clock_type = std::chrono::steady_clock;

constexpr std::uint64_t default_frames = (std::uint64_t{1} << 31) + (std::uint64_t{1} << 21);
/// Frames between two samples of the counts: 2^20 plus an odd offset.
constexpr std::uint64_t check_every = (std::uint64_t{1} << 20) + 4099;
constexpr std::uint64_t progress_every = std::uint64_t{1} << 28;

/// A small ring: a ringful of 1-byte frames is the most the writer can be
/// owed tokens for beyond its drain period.
constexpr std::size_t payload_size = 4096;
constexpr std::uint64_t ringful = payload_size / (zerobuffer::protocol::frame_header_size + 1) + 1;

/// The writer drains sem-r every 2^16 commits (token_drain_every); the reader
/// drains sem-w when 256 frames were read ahead of their tokens.
constexpr long max_sem_r = 2 * 65536 + static_cast<long>(ringful);
constexpr long max_sem_w = 4096;

volatile std::sig_atomic_t interrupted = 0;

extern "C" void on_signal(int)
{
    interrupted = 1;
}

std::uint64_t parse_count(const char* text)
{
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(text, &end, 10);
    if (end == text || *end != 0 || text[0] == '-' || errno != 0 || v == 0) {
        throw std::invalid_argument(std::string("not a positive number: ") + text);
    }
    return v;
}

/// A named semaphore opened for sem_getvalue only; closed (never unlinked) at the end.
class sem_probe {
public:
    explicit sem_probe(const std::string& name) : name_(name)
    {
        sem_ = ::sem_open(name.c_str(), 0);
        if (sem_ == SEM_FAILED) {
            throw std::runtime_error("sem_open(" + name + "): " + std::strerror(errno));
        }
    }
    sem_probe(const sem_probe&) = delete;
    sem_probe& operator=(const sem_probe&) = delete;
    ~sem_probe() { ::sem_close(sem_); }

    long value() const
    {
        int v = 0;
        if (::sem_getvalue(sem_, &v) != 0) {
            throw std::runtime_error("sem_getvalue(" + name_ + "): " + std::strerror(errno));
        }
        return v;
    }

private:
    std::string name_;
    sem_t* sem_ = nullptr;
};

double seconds_since(clock_type::time_point start)
{
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

int fail(const std::string& what)
{
    std::cerr << "token_soak: FAILED: " << what << std::endl;
    return 1;
}

int run(std::uint64_t frames)
{
    const std::string name = "token_soak_" + std::to_string(::getpid());
    zerobuffer::reader r(name, {.metadata_size = 64,
                                .payload_size = payload_size,
                                .wait = zerobuffer::wait_strategy::busy_poll()});
    zerobuffer::writer w(name, {.write_timeout = std::chrono::seconds(5),
                                .wait = zerobuffer::wait_strategy::busy_poll()});
    const zerobuffer::resource_names names = zerobuffer::names_of(name);
    const sem_probe sem_w(names.write_semaphore);
    const sem_probe sem_r(names.read_semaphore);

    std::cout << "token_soak: " << frames << " frames of 1 byte through a " << payload_size
              << "-byte ring; bounds: sem-w <= " << max_sem_w << ", sem-r <= " << max_sem_r
              << " (SEM_VALUE_MAX " << SEM_VALUE_MAX << ")" << std::endl;

    long max_w = 0;
    long max_r = 0;
    std::uint64_t samples = 0;
    // Samples both counts; an empty string when they are within bounds.
    const auto check_counts = [&](std::uint64_t done) -> std::string {
        const long w_count = sem_w.value();
        const long r_count = sem_r.value();
        max_w = std::max(max_w, w_count);
        max_r = std::max(max_r, r_count);
        ++samples;
        std::ostringstream out;
        if (w_count > max_sem_w) {
            out << "after " << done << " frames sem-w counts " << w_count << " > " << max_sem_w;
        } else if (r_count > max_sem_r) {
            out << "after " << done << " frames sem-r counts " << r_count << " > " << max_sem_r;
        }
        return out.str();
    };

    const auto start = clock_type::now();
    std::uint64_t next_check = check_every;
    std::uint64_t next_progress = progress_every;
    std::uint64_t expected = 1; // the sequence of the next frame to read
    boost::system::error_code ec;
    // Writes frame `seq` (its byte is the low byte of seq).
    const auto write = [&](std::uint64_t seq) {
        const std::array<std::byte, 1> data{static_cast<std::byte>(seq)};
        w.write_frame(std::span<const std::byte>(data), ec);
        return !ec;
    };
    std::string error; // what went wrong, when a step returns false
    // Reads the next frame and releases it on return. No stream on the good
    // path: it would cost more than the frame.
    const auto read_next = [&] {
        const zerobuffer::frame f = r.read_frame(std::chrono::seconds(5), ec);
        const std::uint64_t seq = expected++;
        if (!ec && f && f.sequence() == seq && f.size() == 1 &&
            f.bytes()[0] == static_cast<std::byte>(seq)) [[likely]] {
            return true;
        }
        std::ostringstream out;
        if (ec) {
            out << "read of frame " << seq << ": " << ec.message();
        } else if (!f) {
            out << "no frame " << seq << " within 5 s";
        } else {
            out << "frame " << f.sequence() << " of " << f.size() << " byte(s) where frame " << seq
                << " of 1 byte was expected";
        }
        error = out.str();
        return false;
    };

    if (!write(1)) {
        return fail("write of frame 1: " + ec.message());
    }
    for (std::uint64_t seq = 2; seq <= frames; ++seq) {
        if (!write(seq)) {
            return fail("write of frame " + std::to_string(seq) + ": " + ec.message());
        }
        if (!read_next()) {
            return fail(error);
        }
        if (seq == next_check) {
            next_check += check_every;
            if (error = check_counts(seq); !error.empty()) {
                return fail(error);
            }
            if (interrupted != 0) {
                return fail("interrupted after " + std::to_string(seq) + " frames");
            }
        }
        if (seq == next_progress) {
            next_progress += progress_every;
            const double s = seconds_since(start);
            std::cout << "token_soak: " << seq << " frames, " << std::fixed << std::setprecision(1)
                      << s << " s, " << std::setprecision(0) << static_cast<double>(seq) / s
                      << " frames/s, max sem-w " << max_w << ", max sem-r " << max_r << std::endl;
        }
    }
    if (!read_next()) {
        return fail(error);
    }
    if (error = check_counts(frames); !error.empty()) {
        return fail(error);
    }
    if (w.frames_written() != frames || r.frames_read() != frames) {
        return fail("counters: " + std::to_string(w.frames_written()) + " written, " +
                    std::to_string(r.frames_read()) + " read, " + std::to_string(frames) +
                    " expected");
    }
    const double s = seconds_since(start);
    std::cout << "token_soak: ok: " << frames << " frames in " << std::fixed << std::setprecision(1)
              << s << " s (" << std::setprecision(0) << static_cast<double>(frames) / s
              << " frames/s); " << samples << " samples, max sem-w " << max_w << " (bound "
              << max_sem_w << "), max sem-r " << max_r << " (bound " << max_sem_r << ")"
              << std::endl;
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    std::uint64_t frames = default_frames;
    try {
        for (int i = 1; i < argc; ++i) {
            const std::string_view arg = argv[i];
            if (arg == "--frames" && i + 1 < argc) {
                frames = parse_count(argv[++i]);
            } else {
                throw std::invalid_argument("unknown or incomplete option " + std::string(arg));
            }
        }
    } catch (const std::exception& e) {
        std::cerr << "token_soak: " << e.what() << "\nusage: token_soak [--frames N]\n";
        return 2;
    }
    // Ctrl-C ends the run at the next sample, through the destructors that
    // remove the buffer.
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    try {
        return run(frames);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}
