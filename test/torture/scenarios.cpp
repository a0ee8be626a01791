// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Deterministic crash scenarios that random kills hit only rarely: a writer
// killed after it published a frame but before it posted the frame's token
// (a window of a few instructions), with and without a writer replacing it at
// once; a writer killed while it holds a reservation that wrapped.

#include "torture.hpp"

#include <zerobuffer/protocol/layout.hpp>
#include <zerobuffer/protocol/ring_engine.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>

#include <csignal>
#include <iostream>
#include <sstream>

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>

namespace zerobuffer::torture {

namespace {

using zerobuffer::testing::test_data_patterns;

/// A child that attaches a writer, lets `body` run, says so on a pipe and
/// waits to be killed. `body` returns false on failure.
struct writer_child {
    pid_t pid = -1;
    int ready_fd = -1;

    template <class F>
    writer_child(const std::string& name, F&& body)
    {
        int ready[2];
        if (::pipe(ready) != 0) {
            throw std::system_error(errno, std::generic_category(), "pipe");
        }
        pid = fork_child([&] {
            ::alarm(60);
            ::close(ready[0]);
            writer w(name);
            const char c = body(w) ? 'y' : 'n';
            if (::write(ready[1], &c, 1) != 1) {
                return 3;
            }
            ::pause();
            return 0;
        });
        ::close(ready[1]);
        ready_fd = ready[0];
        if (pid < 0) {
            ::close(ready_fd);
            throw std::system_error(errno, std::generic_category(), "fork");
        }
    }
    writer_child(const writer_child&) = delete;
    writer_child& operator=(const writer_child&) = delete;
    ~writer_child()
    {
        kill();
        ::close(ready_fd);
    }

    /// True once the body succeeded; waits at most `timeout`.
    bool ready(std::chrono::milliseconds timeout)
    {
        pollfd p{ready_fd, POLLIN, 0};
        char c = 'n';
        return ::poll(&p, 1, static_cast<int>(timeout.count())) == 1 &&
               ::read(ready_fd, &c, 1) == 1 && c == 'y';
    }

    void kill()
    {
        if (pid > 0) {
            kill_and_reap(pid, true);
            pid = -1;
        }
    }
};

/// Publishes one frame of `size` bytes with sequence 1 exactly as a writer's
/// commit does, without posting its token: a writer that dies right there.
bool publish_without_token(const std::string& name, const buffer_config& cfg, std::size_t size)
{
    const int fd = ::shm_open(("/" + name).c_str(), O_RDWR, 0);
    const auto layout = protocol::make_layout(cfg.metadata_size, cfg.payload_size);
    if (fd < 0 || !layout) {
        return false;
    }
    void* base = ::mmap(nullptr, layout->segment_size(), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ::close(fd);
    if (base == MAP_FAILED) {
        return false;
    }
    protocol::ring_writer rw(protocol::segment_view{static_cast<std::byte*>(base), *layout});
    std::span<std::byte> data;
    if (rw.try_reserve(size, data)) {
        return false;
    }
    test_data_patterns::fill_frame(data, 1);
    rw.commit();
    return true;
}

/// What the reader delivers until an end event, as "A1 B2 ... event".
std::string read_all(reader& r, std::size_t a_size)
{
    std::ostringstream out;
    for (int i = 0; i < 50; ++i) {
        boost::system::error_code ec;
        frame f = r.read_frame(report_bound, ec);
        if (f) {
            const bool ok = test_data_patterns::verify_frame(f.bytes(), f.sequence());
            out << (f.size() == a_size ? "A" : "B") << f.sequence() << (ok ? "" : "(torn)") << ' ';
            continue;
        }
        out << (ec ? std::string(to_string(static_cast<errc>(ec.value()))) : "timeout");
        break;
    }
    return out.str();
}

} // namespace

std::uint64_t run_scenarios(const std::string& name)
{
    run_report report("scenarios");
    buffer_config cfg;
    cfg.payload_size = 64 * 1024;
    cfg.wait.liveness_interval = 20ms;
    constexpr std::size_t a_size = 100;
    std::string outcome[3];

    // 1. Killed between commit and post: the frame is delivered, then the death.
    {
        reader r(name, cfg);
        writer_child a(name, [&](writer&) { return publish_without_token(name, cfg, a_size); });
        if (!a.ready(report_bound)) {
            throw std::runtime_error("scenario writer failed to set up");
        }
        a.kill();
        outcome[0] = read_all(r, a_size);
        if (outcome[0] != "A1 writer_dead") {
            report.fail("killed between commit and post: delivered \"" + outcome[0] +
                        "\", expected \"A1 writer_dead\"");
        }
    }
    // 2. The same, and a new writer attaches at once (before the reader looked),
    //    writes three frames and closes: every frame of both is delivered.
    {
        reader r(name, cfg);
        writer_child a(name, [&](writer&) { return publish_without_token(name, cfg, a_size); });
        if (!a.ready(report_bound)) {
            throw std::runtime_error("scenario writer failed to set up");
        }
        a.kill();
        {
            writer b(name);
            for (std::uint64_t seq = 1; seq <= 3; ++seq) {
                b.write_frame(test_data_patterns::frame_data(200, seq));
            }
        }
        outcome[1] = read_all(r, a_size);
        if (outcome[1] != "A1 B1 B2 B3 writer_disconnected") {
            report.fail("killed between commit and post, replaced at once: delivered \"" +
                        outcome[1] + "\", expected \"A1 B1 B2 B3 writer_disconnected\"");
        }
        if (auto why = counters_consistent(r); !why.empty()) {
            report.fail("killed between commit and post, replaced at once: counters" + why);
        }
    }
    // 3. Killed holding a reservation that wrapped (its marker is written at
    //    the old position, nothing is published): the committed frames, the
    //    death, then a new writer's frames intact from that old position.
    {
        reader r(name, cfg);
        writer_child a(name, [&](writer& w) {
            const std::byte* last = nullptr;
            for (std::uint64_t seq = 1;; ++seq) {
                const auto area = w.get_frame_buffer(a_size + (seq % 2) * 900);
                if (last != nullptr && area.data() < last) {
                    return true; // wrapped: stay here, uncommitted
                }
                last = area.data();
                test_data_patterns::fill_frame(area, seq);
                w.commit_frame();
            }
        });
        std::ostringstream out;
        std::uint64_t delivered = 0;
        bool intact = true;
        bool wrapped = false;
        for (;;) {
            boost::system::error_code ec;
            frame f = r.read_frame(wrapped ? 100ms : 10ms, ec);
            if (f) {
                ++delivered;
                intact = intact && f.sequence() == delivered &&
                         test_data_patterns::verify_frame(f.bytes(), f.sequence());
                continue;
            }
            if (ec) {
                out << "unexpected " << ec.message() << "; ";
                break;
            }
            if (wrapped) {
                // Everything committed was read: kill it inside the reservation.
                a.kill();
                f = r.read_frame(report_bound, ec);
                if (f || ec != errc::writer_dead) {
                    out << "no writer_dead; ";
                }
                break;
            }
            wrapped = a.ready(0ms);
        }
        writer b(name);
        for (std::uint64_t seq = 1; seq <= 200; ++seq) {
            b.write_frame(test_data_patterns::frame_data(1 + (seq * 331) % 4000, seq));
            frame f = r.read_frame(report_bound);
            intact = intact && f && f.sequence() == seq &&
                     test_data_patterns::verify_frame(f.bytes(), seq);
        }
        b.close();
        boost::system::error_code ec;
        (void)r.read_frame(report_bound, ec);
        out << delivered << " frames before, " << (intact ? "all intact" : "NOT INTACT") << ", "
            << (ec ? std::string(to_string(static_cast<errc>(ec.value()))) : "timeout");
        outcome[2] = out.str();
        if (!intact || ec != errc::writer_disconnected || delivered == 0 ||
            outcome[2].find(';') != std::string::npos) {
            report.fail("killed inside a wrapped reservation: " + outcome[2]);
        }
        if (auto why = counters_consistent(r); !why.empty()) {
            report.fail("killed inside a wrapped reservation: counters" + why);
        }
    }
    if (auto left = leftovers(name); !left.empty()) {
        report.fail("left behind: " + left.front());
    }
    std::cout << "scenarios: commit_without_post=\"" << outcome[0]
              << "\" commit_without_post_replaced=\"" << outcome[1] << "\" wrapped_reservation=\""
              << outcome[2] << "\" violations=" << report.violations() << std::endl;
    return report.violations();
}

} // namespace zerobuffer::torture
