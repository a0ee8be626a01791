// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// --reader-kills N: N times, a reader process creates the buffer, this
// process attaches a writer and streams frames, and the reader is SIGKILLed
// at a random moment (early, after a random time, or after some frames).
//
// Checked: the writer reports reader_dead within `report_bound` (never while
// the reader lives) and sees no reader afterwards; a new writer cannot attach
// (no_reader); every frame the reader got verified; a clean-up keeps the
// buffer while the writer is attached and removes all of it once the writer
// left (or the next reader removes the debris itself); the name is reusable.

#include "torture.hpp"

#include <zerobuffer/resources.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>

#include <csignal>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include <sys/wait.h>

namespace zerobuffer::torture {

namespace {

using zerobuffer::testing::test_data_patterns;

bool contains(const std::vector<std::string>& v, const std::string& s)
{
    return std::find(v.begin(), v.end(), s) != v.end();
}

/// The body of a reader process: reads, verifies, holds and releases frames
/// in random order with random pauses, until it is killed.
int reader_process(const std::string& name, const buffer_config& cfg, std::uint64_t seed,
                   std::size_t slot, reader_slot& s)
{
    s.pid.store(static_cast<std::int32_t>(::getpid()));
    std::mt19937_64 rng(mix(seed ^ (slot + 3) * 0x9e3779b1ULL));
    const std::size_t max_frame = max_frame_for(cfg.payload_size);
    try {
        reader r(name, cfg);
        s.started.store(1);
        std::vector<frame> held;
        std::size_t hold_target = 0;
        std::uint64_t expected = 1;
        for (;;) {
            boost::system::error_code ec;
            frame f = r.read_frame(50ms, ec);
            if (ec) {
                // The writer (our parent) outlives us: nothing else may happen.
                s.error.store(ec.category() == error_category() ? ec.value() : -ec.value());
                std::cerr << "zerobuffer_torture: reader slot " << slot << ": " << ec.message()
                          << std::endl;
                return 3;
            }
            if (!f) {
                if (!held.empty()) {
                    held.erase(held.begin() +
                               static_cast<std::ptrdiff_t>(uniform(rng, 0, held.size() - 1)));
                }
                continue;
            }
            const std::uint64_t seq = f.sequence();
            const bool ok = seq == expected && f.size() == frame_size(seed, slot, seq, max_frame) &&
                            test_data_patterns::verify_frame(f.bytes(), seq);
            if (!ok) {
                s.bad.fetch_add(1);
                std::cerr << "zerobuffer_torture: reader slot " << slot << ": frame " << seq
                          << " (expected " << expected << ") of size " << f.size()
                          << " does not verify" << std::endl;
            }
            expected = seq + 1;
            s.delivered.fetch_add(1);
            s.bytes.fetch_add(f.size());
            held.push_back(std::move(f));
            if (chance(rng, 5)) {
                hold_target = uniform(rng, 0, 6);
            }
            while (held.size() > hold_target) {
                held.erase(held.begin() +
                           static_cast<std::ptrdiff_t>(uniform(rng, 0, held.size() - 1)));
            }
            if (chance(rng, 5)) {
                spin_for(std::chrono::microseconds(uniform(rng, 0, 2000)));
            } else if (chance(rng, 1)) {
                std::this_thread::sleep_for(std::chrono::milliseconds(uniform(rng, 2, 20)));
            }
        }
    } catch (const zerobuffer::error& e) {
        const auto ec = e.code();
        s.error.store(ec.category() == error_category() ? ec.value() : -ec.value());
        std::cerr << "zerobuffer_torture: reader slot " << slot << ": " << e.what() << std::endl;
    } catch (const std::exception& e) {
        s.error.store(-1000);
        std::cerr << "zerobuffer_torture: reader slot " << slot << ": " << e.what() << std::endl;
    }
    return 3;
}

template <class P>
bool wait_for(P&& pred, std::chrono::nanoseconds limit)
{
    const auto end = clock::now() + limit;
    while (!pred()) {
        if (clock::now() >= end) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    return true;
}

} // namespace

std::uint64_t run_reader_kills(const options& opt, const std::string& name)
{
    run_report report("reader-kills");
    std::mt19937_64 rng(mix(opt.seed ^ 0x1234));
    shared_array<reader_slot> slots(opt.reader_kills);

    std::uint64_t kills = 0;
    std::uint64_t frames_written = 0;
    std::uint64_t frames_read = 0;
    std::uint64_t reports = 0;
    std::uint64_t report_ns_max = 0;
    std::uint64_t report_ns_sum = 0;
    std::uint64_t kept_checks = 0;
    std::uint64_t no_reader_checks = 0;
    std::uint64_t debris_left = 0;
    std::uint64_t removed_elsewhere = 0; // by another process's sweep, before ours
    const auto start_time = clock::now();

    for (std::size_t i = 0; i < opt.reader_kills; ++i) {
        reader_slot& s = slots[i];
        buffer_config cfg;
        const std::size_t payloads[] = {4096, 20 * 1024, 64 * 1024, 256 * 1024};
        cfg.payload_size = payloads[uniform(rng, 0, 3)];
        cfg.wait = random_wait(rng);
        const std::size_t max_frame = max_frame_for(cfg.payload_size);
        const std::string where = "reader slot " + std::to_string(i);

        const pid_t pid = fork_child([&] {
            ::alarm(120);
            return reader_process(name, cfg, opt.seed, i, s);
        });
        if (pid < 0) {
            throw std::system_error(errno, std::generic_category(), "fork");
        }
        if (!wait_for([&] { return s.started.load() != 0 || s.error.load() != 0; }, 10s) ||
            s.error.load() != 0) {
            report.fail(where + " did not create the buffer (error " +
                        std::to_string(s.error.load()) + ")");
            kill_and_reap(pid, true);
            continue;
        }

        write_plan plan;
        plan.name = name;
        plan.seed = opt.seed;
        plan.slot = i;
        plan.max_frame = max_frame;
        plan.deadline = clock::now() + 60s;
        plan.options.connect_timeout = 5s;
        plan.options.write_timeout = 20s;
        plan.options.wait = random_wait(rng);
        std::optional<writer> w;
        try {
            w.emplace(name, plan.options);
        } catch (const std::exception& e) {
            report.fail(where + ": the writer could not attach: " + e.what());
            kill_and_reap(pid, true);
            continue;
        }

        // The killer: early, after a random time, or after a number of frames.
        std::atomic<int> status{0};
        std::thread killer([&, pid] {
            std::mt19937_64 krng(mix(opt.seed ^ (i + 11) * 0x2545f491ULL));
            const auto r = uniform(krng, 0, 99);
            if (r < 20) {
                std::this_thread::sleep_for(std::chrono::microseconds(uniform(krng, 0, 2000)));
            } else if (r < 70) {
                std::this_thread::sleep_for(std::chrono::milliseconds(uniform(krng, 0, 150)));
            } else {
                const auto n = uniform(krng, 1, 300);
                wait_for([&] { return s.delivered.load() >= n; }, 3s);
            }
            s.ending_ns.store(now_ns());
            status.store(kill_and_reap(pid, true));
        });

        writer_slot ws; // the writer is this process: its report stays local
        std::mt19937_64 wrng(mix(opt.seed ^ (i + 5) * 0x51ed27ULL));
        boost::system::error_code failure;
        try {
            write_session(*w, plan, ws, wrng);
        } catch (const zerobuffer::error& e) {
            failure = e.code();
        }
        const std::int64_t reported_at = now_ns();
        killer.join();
        ++kills;
        frames_written += ws.committed.load();
        frames_read += s.delivered.load();

        const std::int64_t killed_at = s.ending_ns.load();
        if (failure != errc::reader_dead) {
            report.fail(where + ": the writer ended with " +
                        (failure ? failure.message() : std::string("no error after 60 s")) +
                        " instead of reader_dead");
        } else if (killed_at == 0 || reported_at < killed_at) {
            report.fail(where + ": reader_dead reported before the reader was killed");
        } else {
            const auto ns = static_cast<std::uint64_t>(reported_at - killed_at);
            ++reports;
            report_ns_sum += ns;
            report_ns_max = std::max(report_ns_max, ns);
            if (ns >
                static_cast<std::uint64_t>(
                    std::chrono::duration_cast<std::chrono::nanoseconds>(report_bound).count())) {
                report.fail(where + ": reader_dead reported " + std::to_string(ns / 1000000) +
                            " ms after the kill");
            }
        }
        if (w->is_reader_connected()) {
            report.fail(where + ": is_reader_connected() after reader_dead");
        }
        const int st = status.load();
        if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
            report.fail(where + ": " + describe_status(st));
        }
        if (s.error.load() != 0 || s.bad.load() != 0) {
            report.fail(where + ": error " + std::to_string(s.error.load()) + ", " +
                        std::to_string(s.bad.load()) + " bad frames");
        }
        if (s.delivered.load() > ws.committed.load()) {
            report.fail(where + ": delivered " + std::to_string(s.delivered.load()) +
                        " frames of " + std::to_string(ws.committed.load()) + " committed");
        }

        if (chance(rng, 30)) {
            // The buffer has no reader: nobody may attach.
            ++no_reader_checks;
            try {
                writer other(name);
                report.fail(where + ": a writer attached to a buffer whose reader is dead");
            } catch (const zerobuffer::error& e) {
                if (e.code() != errc::no_reader) {
                    report.fail(where + ": attaching to a dead buffer: " + e.what() +
                                " instead of no_reader");
                }
            }
        }
        if (chance(rng, 40)) {
            // Our writer is still attached: the clean-up must leave the buffer alone.
            ++kept_checks;
            const cleanup_report cr = cleanup_stale_resources(name);
            if (!contains(cr.kept_buffers, name) || contains(cr.removed_buffers, name) ||
                leftovers(name).size() < 4) {
                report.fail(where + ": clean-up with a live writer did not keep the buffer");
            }
        }
        w->close();
        w.reset();
        if (chance(rng, 25) && i + 1 < opt.reader_kills) {
            ++debris_left; // the next reader removes it itself
            continue;
        }
        // Removed by our clean-up, or by another process's sweep that came
        // first (every reader's creation sweeps all buffers, and other suites
        // run beside this one): then ours reports it neither removed nor live
        // (CONFORMANCE 7.3), and nothing of it is left either way.
        const cleanup_report cr = cleanup_stale_resources(name);
        if (contains(cr.live_buffers, name) || contains(cr.kept_buffers, name)) {
            report.fail(where + ": the clean-up left the dead reader's buffer alone");
        } else if (!contains(cr.removed_buffers, name)) {
            ++removed_elsewhere;
        }
        if (auto left = leftovers(name); !left.empty()) {
            report.fail(where + ": left behind after the clean-up: " + left.front());
        }
    }

    if (auto why = check_name_reusable(name); !why.empty()) {
        report.fail("name not reusable: " + why);
    }
    if (auto left = leftovers(name); !left.empty()) {
        report.fail("left behind at the end: " + left.front());
    }
    const auto secs = std::chrono::duration<double>(clock::now() - start_time).count();
    std::cout << "reader-kills: kills=" << kills << " frames_written=" << frames_written
              << " frames_read=" << frames_read << " reports=" << reports
              << " report_ms_max=" << report_ns_max / 1000000
              << " report_ms_mean=" << (reports ? report_ns_sum / reports / 1000000 : 0)
              << " kept_checks=" << kept_checks << " no_reader_checks=" << no_reader_checks
              << " debris_left_for_next_reader=" << debris_left
              << " removed_by_another_cleanup=" << removed_elsewhere
              << " seconds=" << static_cast<int>(secs + 0.5)
              << " violations=" << report.violations() << " seed=" << opt.seed << std::endl;
    return report.violations();
}

} // namespace zerobuffer::torture
