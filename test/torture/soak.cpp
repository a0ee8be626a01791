// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// --soak SECONDS: a writer process streams frames of random sizes through
// writer sessions (attach, write a random number of frames, close, attach
// again at once or after a pause) for SECONDS; this process reads them with
// random pauses, holds a random number of frames and releases them in random
// order from two threads. At the end every count must agree: frames and bytes
// delivered against those committed, session by session, and the OIEB
// counters of the idle buffer.

#include "torture.hpp"

#include <zerobuffer/resources.hpp>

#include <iostream>
#include <mutex>
#include <thread>

#include <sys/wait.h>

namespace zerobuffer::torture {

namespace {

/// Sessions a soak can hold; more end the writer early.
constexpr std::size_t max_sessions = 1 << 16;

struct soak_control {
    std::atomic<std::uint64_t> sessions{0}; ///< sessions begun (slots in use)
    std::atomic<std::uint32_t> done{0};     ///< the writer process finished
};

int soak_writer(const std::string& name, std::size_t max_frame, std::uint64_t seed,
                clock::time_point deadline, shared_slots& slots, soak_control& control)
{
    std::mt19937_64 rng(mix(seed ^ 0x50a4));
    int code = 0;
    for (std::size_t k = 0; k < max_sessions && clock::now() < deadline; ++k) {
        writer_slot& s = slots[k];
        s.pid.store(static_cast<std::int32_t>(::getpid()));
        control.sessions.store(k + 1);
        write_plan plan;
        plan.name = name;
        plan.seed = seed;
        plan.slot = k;
        plan.max_frame = max_frame;
        plan.frames = chance(rng, 10) ? uniform(rng, 1, 10) : uniform(rng, 1, 5000);
        plan.deadline = deadline;
        plan.options.connect_timeout = 5s;
        plan.options.write_timeout = 30s;
        plan.options.wait = random_wait(rng);
        try {
            writer w(name, plan.options);
            s.started.store(1);
            write_session(w, plan, s, rng);
            mark_ending(s);
            w.close();
        } catch (const zerobuffer::error& e) {
            const auto ec = e.code();
            s.error.store(ec.category() == error_category() ? ec.value() : -ec.value());
            std::cerr << "zerobuffer_torture: soak writer session " << k << ": " << e.what()
                      << std::endl;
            mark_ending(s);
            code = 3;
            break;
        }
        if (chance(rng, 30)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(uniform(rng, 0, 20)));
        }
    }
    control.done.store(1);
    return code;
}

} // namespace

std::uint64_t run_soak(const options& opt, const std::string& name)
{
    run_report report("soak");
    std::mt19937_64 rng(mix(opt.seed ^ 0x50a));
    shared_slots slots(max_sessions);
    shared_array<soak_control> control_array(1);
    soak_control& control = control_array[0];

    buffer_config cfg;
    const std::size_t payloads[] = {64 * 1024, 256 * 1024, 1024 * 1024};
    cfg.payload_size = payloads[uniform(rng, 0, 2)];
    cfg.wait = random_wait(rng);
    const std::size_t max_frame = max_frame_for(cfg.payload_size);
    const auto start_time = clock::now();
    const auto deadline = start_time + std::chrono::seconds(opt.soak_seconds);

    reader r(name, cfg);
    const pid_t pid = fork_child([&] {
        ::alarm(static_cast<unsigned>(opt.soak_seconds + 120));
        return soak_writer(name, max_frame, opt.seed, deadline, slots, control);
    });
    if (pid < 0) {
        throw std::system_error(errno, std::generic_category(), "fork");
    }

    session_tracker tracker(slots, opt.seed, max_frame, report);
    // Frames held; released in random order by this thread and by a second one.
    std::mutex pool_mutex;
    std::vector<frame> pool;
    std::atomic<bool> stop{false};
    std::uint64_t max_held = 0;
    std::thread releaser([&] {
        std::mt19937_64 rrng(mix(opt.seed ^ 0x4e1));
        while (!stop.load()) {
            {
                const std::lock_guard lock(pool_mutex);
                if (!pool.empty() && chance(rrng, 50)) {
                    pool.erase(pool.begin() +
                               static_cast<std::ptrdiff_t>(uniform(rrng, 0, pool.size() - 1)));
                }
            }
            std::this_thread::sleep_for(std::chrono::microseconds(uniform(rrng, 0, 200)));
        }
    });
    const auto release_one = [&] {
        const std::lock_guard lock(pool_mutex);
        if (!pool.empty()) {
            pool.erase(pool.begin() +
                       static_cast<std::ptrdiff_t>(uniform(rng, 0, pool.size() - 1)));
        }
    };
    std::size_t hold_target = 0;
    std::uint64_t events = 0;
    for (;;) {
        boost::system::error_code ec;
        frame f = r.read_frame(50ms, ec);
        if (f) {
            tracker.on_frame(f, static_cast<std::size_t>(control.sessions.load()));
            if (chance(rng, 1)) {
                hold_target = chance(rng, 20) ? uniform(rng, 0, 64) : uniform(rng, 0, 8);
            }
            {
                const std::lock_guard lock(pool_mutex);
                pool.push_back(std::move(f));
                max_held = std::max<std::uint64_t>(max_held, pool.size());
                while (pool.size() > hold_target) {
                    pool.erase(pool.begin() +
                               static_cast<std::ptrdiff_t>(uniform(rng, 0, pool.size() - 1)));
                }
            }
            if (chance(rng, 2)) {
                spin_for(std::chrono::microseconds(uniform(rng, 0, 500)));
            } else if (chance(rng, 1) && chance(rng, 50)) {
                std::this_thread::sleep_for(std::chrono::milliseconds(uniform(rng, 1, 20)));
            }
        } else if (ec == errc::writer_disconnected) {
            ++events;
            tracker.on_end_event(errc::writer_disconnected);
        } else if (ec) {
            report.fail("read_frame: " + ec.message());
            if (ec == errc::writer_dead || ec == errc::writer_disconnected) {
                tracker.on_end_event(static_cast<errc>(ec.value()));
            } else {
                tracker.on_error();
            }
            if (ec == errc::corrupted_buffer) {
                break;
            }
        } else {
            release_one();
            if (control.done.load() != 0 && r.health().oieb.writer_pid == 0) {
                break;
            }
            if (clock::now() > deadline + 60s) {
                report.fail("the soak did not end 60 s after its deadline: " + describe_buffer(r));
                break;
            }
        }
    }
    stop.store(true);
    releaser.join();
    pool.clear();
    const int status = kill_and_reap(pid, control.done.load() == 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        report.fail("the writer process: " + describe_status(status));
    }
    const auto sessions = static_cast<std::size_t>(control.sessions.load());
    tracker.finish(sessions);

    std::uint64_t committed = 0;
    std::uint64_t committed_bytes = 0;
    std::uint64_t wraps = 0;
    for (std::size_t k = 0; k < sessions; ++k) {
        committed += slots[k].committed.load();
        committed_bytes += slots[k].bytes.load();
        wraps += slots[k].wraps.load();
    }
    const std::string counters = counters_consistent(r);
    if (!counters.empty()) {
        report.fail("counters at the end:" + counters);
    }
    if (tracker.frames() != committed || tracker.bytes() != committed_bytes ||
        r.frames_read() != committed || r.bytes_read() != committed_bytes) {
        report.fail("delivered " + std::to_string(tracker.frames()) + " frames / " +
                    std::to_string(tracker.bytes()) + " bytes (reader counts " +
                    std::to_string(r.frames_read()) + " / " + std::to_string(r.bytes_read()) +
                    "), committed " + std::to_string(committed) + " / " +
                    std::to_string(committed_bytes));
    }
    if (r.writer_sessions() != tracker.sessions()) {
        report.fail("reader::writer_sessions() is " + std::to_string(r.writer_sessions()) + ", " +
                    std::to_string(tracker.sessions()) + " sessions were delivered");
    }
    const auto oieb = r.health().oieb;
    r.close();
    if (auto left = leftovers(name); !left.empty()) {
        report.fail("left behind after the reader closed: " + left.front());
    }
    const double secs = std::chrono::duration<double>(clock::now() - start_time).count();
    std::cout << "soak: seconds=" << static_cast<int>(secs + 0.5) << " sessions=" << sessions
              << " disconnects_reported=" << events << " frames=" << tracker.frames()
              << " bytes=" << tracker.bytes() << " committed_frames=" << committed
              << " committed_bytes=" << committed_bytes << " MB_per_s="
              << static_cast<std::uint64_t>(static_cast<double>(tracker.bytes()) / secs / 1e6)
              << " wraps_seen_by_writer=" << wraps << " max_held=" << max_held
              << " oieb_written_count=" << oieb.payload_written_count
              << " oieb_read_count=" << oieb.payload_read_count
              << " counters=" << (counters.empty() ? "consistent" : "INCONSISTENT")
              << " payload=" << cfg.payload_size << " reader_wait=" << to_string(cfg.wait.kind)
              << " violations=" << report.violations() << " seed=" << opt.seed << std::endl;
    return report.violations();
}

} // namespace zerobuffer::torture
