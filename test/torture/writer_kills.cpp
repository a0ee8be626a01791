// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// --writer-kills N: one reader (this process) outlives N writer processes,
// each SIGKILLed at a random moment: anywhere, inside a reservation, inside a
// reservation that wrapped, or while it connects. Now and then a writer
// finishes and closes cleanly instead. After a kill the next writer either
// waits for the reader to report the death, or attaches at once (a quick
// replacement) while the old writer's frames are still in the ring.
//
// Checked: the death (or disconnect) is reported within `report_bound`; every
// frame verifies; sequences run 1, 2, 3, ... per writer; each writer's
// committed frames are all delivered (see session_tracker); the OIEB counters
// are consistent whenever no writer is attached; the name is reusable at the end.

#include "torture.hpp"

#include <zerobuffer/detail/liveness.hpp>
#include <zerobuffer/detail/process.hpp>
#include <zerobuffer/resources.hpp>

#include <array>
#include <csignal>
#include <deque>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>

#include <sys/wait.h>

namespace zerobuffer::torture {

namespace {

enum class ending { kill_anywhere, kill_reserved, kill_wrapped, kill_early, clean_close };

struct step {
    ending how = ending::kill_anywhere;
    bool quick = false; ///< the next writer attaches without waiting for the report
};

/// A writer process and the thread that kills and reaps it.
struct child {
    std::size_t slot = 0;
    pid_t pid = -1;
    step plan;
    std::thread watcher;
    std::atomic<bool> done{false};
    int status = 0;
    std::uint32_t phase_at_kill = 0;
    bool wrapped_at_kill = false;
    bool resolved = false;   ///< its end was reported, or needs no report
    bool event_seen = false; ///< the reader reported an end attributed to it
    /// The report must match how it ended (not when the previous writer was
    /// replaced at once: a report of that one may still arrive).
    bool check_kind = true;
    bool stall_reported = false;
    errc event = errc::writer_dead;

    ~child()
    {
        if (watcher.joinable()) {
            watcher.join();
        }
    }
};

/// What the reader's liveness check sees of the recorded writer now.
std::string liveness_diagnosis(const reader& r, const std::string& name)
{
    const std::uint64_t pid = r.health().oieb.writer_pid;
    const char* lock = "?";
    switch (detail::probe_lock(detail::writer_lock_path(name, pid))) {
    case detail::lock_state::held: lock = "held"; break;
    case detail::lock_state::free: lock = "free"; break;
    case detail::lock_state::absent: lock = "absent"; break;
    case detail::lock_state::unknown: lock = "unknown"; break;
    }
    return "recorded writer pid " + std::to_string(pid) + ": lock file " + lock +
           ", process exists " + (detail::process_exists(pid) ? "yes" : "no") + ", writer_alive " +
           (detail::writer_alive(name, pid, detail::file_access{::getuid(), ::getgid(), 0600})
                ? "yes"
                : "no") +
           "; " + describe_buffer(r);
}

std::vector<step> make_plan(std::uint64_t kills, std::mt19937_64& rng)
{
    std::vector<step> plan;
    for (std::uint64_t i = 0; i < kills; ++i) {
        step s;
        const auto r = uniform(rng, 0, 99);
        s.how = r < 10   ? ending::kill_early
                : r < 30 ? ending::kill_reserved
                : r < 45 ? ending::kill_wrapped
                         : ending::kill_anywhere;
        s.quick = chance(rng, 30);
        plan.push_back(s);
        if (chance(rng, 10)) {
            plan.push_back(step{ending::clean_close, chance(rng, 30)});
        }
    }
    if (!plan.empty()) {
        plan.back().quick = false;
    }
    return plan;
}

/// Waits until `pred` or `limit`; false on timeout.
template <class P>
bool wait_until(P&& pred, std::chrono::nanoseconds limit, bool spin)
{
    const auto end = clock::now() + limit;
    while (!pred()) {
        if (clock::now() >= end) {
            return false;
        }
        if (spin) {
            spin_for(std::chrono::microseconds(1));
        } else {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
    }
    return true;
}

void watch(child& c, writer_slot& s, std::uint64_t seed)
{
    std::mt19937_64 rng(mix(seed ^ (c.slot + 7) * 0x2545f491ULL));
    const auto started = [&] { return s.started.load() != 0 || s.error.load() != 0; };
    bool kill = true;
    switch (c.plan.how) {
    case ending::clean_close: kill = false; break;
    case ending::kill_early:
        std::this_thread::sleep_for(std::chrono::microseconds(uniform(rng, 0, 1000)));
        break;
    case ending::kill_anywhere:
        wait_until(started, 10s, false);
        std::this_thread::sleep_for(std::chrono::microseconds(uniform(rng, 0, 150000)));
        break;
    case ending::kill_reserved:
        wait_until(started, 10s, false);
        wait_until([&] { return s.phase.load() == std::uint32_t(write_phase::reserved); }, 2s,
                   true);
        break;
    case ending::kill_wrapped:
        wait_until(started, 10s, false);
        wait_until(
            [&] {
                return s.phase.load() == std::uint32_t(write_phase::reserved) &&
                       s.wrapped_pending.load() != 0;
            },
            3s, true);
        break;
    }
    if (kill) {
        mark_ending(s);
    }
    c.status = kill_and_reap(c.pid, kill);
    c.phase_at_kill = s.phase.load();
    c.wrapped_at_kill = s.wrapped_pending.load() != 0;
    c.done.store(true);
}

} // namespace

std::uint64_t run_writer_kills(const options& opt, const std::string& name)
{
    run_report report("writer-kills");
    std::mt19937_64 rng(mix(opt.seed ^ 0x77));
    const std::vector<step> plan = make_plan(opt.writer_kills, rng);
    shared_slots slots(plan.size());

    buffer_config cfg;
    cfg.payload_size = chance(rng, 50) ? 64 * 1024 : 20 * 1024;
    cfg.wait = random_wait(rng);
    const std::size_t max_frame = max_frame_for(cfg.payload_size);

    std::array<std::uint64_t, phase_count> phase_counts{};
    std::uint64_t kills = 0;
    std::uint64_t clean = 0;
    std::uint64_t quick = 0;
    std::uint64_t wrapped_kills = 0;
    std::uint64_t never_attached = 0;
    std::uint64_t reports = 0;
    std::uint64_t report_ns_max = 0;
    std::uint64_t report_ns_sum = 0;
    std::uint64_t max_held = 0;

    const auto start_time = clock::now();
    {
        reader r(name, cfg);
        session_tracker tracker(slots, opt.seed, max_frame, report);
        std::deque<std::unique_ptr<child>> children;
        std::vector<frame> held;
        std::size_t hold_target = 0;
        std::size_t spawned = 0;
        auto last_progress = clock::now();

        const auto release_all = [&] { held.clear(); };
        const auto spawn = [&] {
            auto c = std::make_unique<child>();
            c->slot = spawned;
            c->plan = plan[spawned];
            write_plan wp;
            wp.name = name;
            wp.seed = opt.seed;
            wp.slot = spawned;
            wp.max_frame = max_frame;
            wp.frames = c->plan.how == ending::clean_close ? uniform(rng, 1, 300) : 0;
            wp.options.connect_timeout = 5s;
            wp.options.write_timeout = 20s;
            wp.options.wait = random_wait(rng);
            c->check_kind = children.empty() || !children.back()->plan.quick;
            writer_slot& s = slots[spawned];
            c->pid = fork_child([&] {
                ::alarm(120); // a forgotten writer must not live forever
                return writer_process(wp, s);
            });
            if (c->pid < 0) {
                throw std::system_error(errno, std::generic_category(), "fork");
            }
            s.pid.store(c->pid);
            c->watcher = std::thread(watch, std::ref(*c), std::ref(s), opt.seed);
            ++spawned;
            last_progress = clock::now();
            children.push_back(std::move(c));
            while (children.size() > 2) {
                children.pop_front();
            }
        };
        const auto on_event = [&](errc e) {
            if (opt.verbose) {
                std::cerr << "event " << to_string(e) << " slot " << tracker.current_slot()
                          << " oieb " << describe_buffer(r) << std::endl;
            }
            release_all();
            tracker.on_end_event(e);
            child* newest = children.empty() ? nullptr : children.back().get();
            if (newest != nullptr && slots[newest->slot].ending.load() != 0 &&
                !newest->event_seen) {
                newest->event_seen = true;
                newest->event = e;
                const auto ns = static_cast<std::uint64_t>(
                    std::max<std::int64_t>(0, now_ns() - slots[newest->slot].ending_ns.load()));
                ++reports;
                report_ns_sum += ns;
                report_ns_max = std::max(report_ns_max, ns);
            }
            if (newest != nullptr && newest->done.load()) {
                if (r.is_writer_connected()) {
                    report.fail(std::string(to_string(e)) +
                                " reported, yet is_writer_connected() is true");
                }
                if (auto why = counters_consistent(r); !why.empty()) {
                    report.fail("counters after " + std::string(to_string(e)) + ":" + why);
                }
            }
        };
        // A read that brought no frame but `ec`: a writer's end is an event,
        // anything else a failure. True when reading cannot go on.
        const auto read_ended = [&](const boost::system::error_code& ec) {
            if (ec == errc::writer_dead || ec == errc::writer_disconnected) {
                on_event(static_cast<errc>(ec.value()));
                return false;
            }
            report.fail("read_frame: " + ec.message());
            tracker.on_error();
            return ec == errc::corrupted_buffer;
        };
        // Decides, once the newest writer is gone, whether a report is due.
        const auto resolve = [&](child& c) {
            writer_slot& s = slots[c.slot];
            const bool killed = c.plan.how != ending::clean_close;
            if (c.event_seen && !c.check_kind) {
                c.resolved = true;
            } else if (c.event_seen) {
                const errc want = killed ? errc::writer_dead : errc::writer_disconnected;
                if (c.event != want) {
                    report.fail("slot " + std::to_string(c.slot) + " ended by " +
                                (killed ? "SIGKILL" : "close()") + " was reported as " +
                                std::string(to_string(c.event)));
                }
                c.resolved = true;
            } else if (c.plan.quick && spawned < plan.size()) {
                c.resolved = true; // the next writer takes over at once
            } else if (s.started.load() == 0 && r.health().oieb.writer_pid == 0) {
                ++never_attached; // killed before it claimed the buffer: nothing to report
                c.resolved = true;
            } else if (now_ns() - s.ending_ns.load() >
                       std::chrono::duration_cast<std::chrono::nanoseconds>(report_bound).count()) {
                report.fail("slot " + std::to_string(c.slot) + " (pid " + std::to_string(c.pid) +
                            ") " + (killed ? "killed" : "closed") + ", phase " +
                            std::string(to_string(write_phase(c.phase_at_kill))) +
                            ": no report within 5 s; " + liveness_diagnosis(r, name));
                c.resolved = true;
            }
        };
        const auto account_exit = [&](child& c) {
            writer_slot& s = slots[c.slot];
            if (s.error.load() != 0) {
                report.fail("writer slot " + std::to_string(c.slot) + " failed with error " +
                            std::to_string(s.error.load()) + " (" + describe_status(c.status) +
                            ")");
            }
            if (c.plan.how == ending::clean_close) {
                ++clean;
                if (!WIFEXITED(c.status) || WEXITSTATUS(c.status) != 0) {
                    report.fail("clean writer slot " + std::to_string(c.slot) + ": " +
                                describe_status(c.status));
                }
            } else {
                ++kills;
                if (!WIFSIGNALED(c.status) || WTERMSIG(c.status) != SIGKILL) {
                    report.fail("killed writer slot " + std::to_string(c.slot) + ": " +
                                describe_status(c.status));
                }
                if (s.started.load() != 0) {
                    ++phase_counts[std::min<std::size_t>(c.phase_at_kill, phase_count - 1)];
                    if (c.phase_at_kill == std::uint32_t(write_phase::reserved) &&
                        c.wrapped_at_kill) {
                        ++wrapped_kills;
                    }
                }
            }
            if (c.plan.quick && spawned < plan.size()) {
                ++quick;
            }
            if (opt.verbose) {
                std::cerr << "slot " << c.slot << " pid " << c.pid << " ended "
                          << describe_status(c.status) << " phase "
                          << to_string(write_phase(c.phase_at_kill)) << " committed "
                          << s.committed.load() << " quick " << c.plan.quick << " oieb "
                          << describe_buffer(r) << std::endl;
            }
        };

        for (;;) {
            child* newest = children.empty() ? nullptr : children.back().get();
            if (newest != nullptr && newest->done.load() && !newest->resolved) {
                if (newest->watcher.joinable()) {
                    newest->watcher.join();
                    account_exit(*newest);
                }
                resolve(*newest);
            }
            if (newest == nullptr || newest->resolved) {
                if (spawned == plan.size()) {
                    break;
                }
                spawn();
                continue;
            }
            // A writer that waits for space while nothing arrives is stuck.
            if (newest != nullptr && !newest->stall_reported && held.empty() &&
                clock::now() - last_progress > report_bound) {
                const writer_slot& s = slots[newest->slot];
                const auto phase = write_phase(s.phase.load());
                if (s.started.load() != 0 && s.ending.load() == 0 &&
                    (phase == write_phase::reserving || phase == write_phase::writing)) {
                    newest->stall_reported = true;
                    report.fail("stall: slot " + std::to_string(newest->slot) + " (pid " +
                                std::to_string(newest->pid) + ") waits for space (" +
                                std::string(to_string(phase)) + ", committed " +
                                std::to_string(s.committed.load()) +
                                ") and no frame arrived for 5 s: " + describe_buffer(r));
                }
            }
            boost::system::error_code ec;
            frame f = r.read_frame(10ms, ec);
            if (f) {
                last_progress = clock::now();
                tracker.on_frame(f, spawned);
                held.push_back(std::move(f));
                max_held = std::max<std::uint64_t>(max_held, held.size());
                if (chance(rng, 5)) {
                    hold_target = uniform(rng, 0, 4);
                }
                while (held.size() > hold_target) {
                    const auto i = uniform(rng, 0, held.size() - 1);
                    held.erase(held.begin() + static_cast<std::ptrdiff_t>(i));
                }
                if (chance(rng, 2)) {
                    std::this_thread::sleep_for(std::chrono::microseconds(uniform(rng, 100, 3000)));
                }
            } else if (ec) {
                if (read_ended(ec)) {
                    break;
                }
            } else if (!held.empty()) {
                // Nothing new: the writer may wait for what we hold.
                const auto i = uniform(rng, 0, held.size() - 1);
                held.erase(held.begin() + static_cast<std::ptrdiff_t>(i));
            }
        }
        // Every writer is gone: read what is left until nothing more comes and
        // no writer is recorded any more.
        release_all();
        const auto drain_end = clock::now() + 4 * report_bound;
        for (;;) {
            boost::system::error_code ec;
            frame f = r.read_frame(100ms, ec);
            if (f) {
                tracker.on_frame(f, spawned);
            } else if (ec) {
                if (read_ended(ec)) {
                    break;
                }
            } else if (r.health().oieb.writer_pid == 0) {
                break;
            } else if (clock::now() > drain_end) {
                report.fail("a dead writer's pid is still recorded: " +
                            std::to_string(r.health().oieb.writer_pid));
                break;
            }
        }
        children.clear();
        tracker.finish(spawned);
        if (auto why = counters_consistent(r); !why.empty()) {
            report.fail("counters at the end:" + why);
        }
        if (r.is_writer_connected()) {
            report.fail("a writer is still seen connected at the end");
        }
        if (r.writer_sessions() != tracker.sessions()) {
            report.fail("reader::writer_sessions() is " + std::to_string(r.writer_sessions()) +
                        ", " + std::to_string(tracker.sessions()) + " sessions were delivered");
        }
        std::ostringstream head;
        head << "writer-kills: kills=" << kills << " clean_closes=" << clean
             << " quick_replacements=" << quick << " sessions=" << tracker.sessions()
             << " frames=" << tracker.frames() << " bytes=" << tracker.bytes()
             << " unreported_commits=" << tracker.unreported_commits();
        head << " killed_in{";
        for (std::size_t p = 0; p < phase_count; ++p) {
            head << (p ? "," : "") << to_string(write_phase(p)) << "=" << phase_counts[p];
        }
        head << ",reserved_wrapped=" << wrapped_kills << ",before_attach=" << never_attached << "}";
        head << " reports=" << reports << " report_ms_max=" << report_ns_max / 1000000
             << " report_ms_mean=" << (reports ? report_ns_sum / reports / 1000000 : 0)
             << " max_held=" << max_held << " payload=" << cfg.payload_size
             << " reader_wait=" << to_string(cfg.wait.kind);
        r.close();
        if (auto left = leftovers(name); !left.empty()) {
            report.fail("left behind after the reader closed: " + left.front());
        }
        if (auto why = check_name_reusable(name); !why.empty()) {
            report.fail("name not reusable: " + why);
        }
        const auto secs = std::chrono::duration<double>(clock::now() - start_time).count();
        std::cout << head.str() << " seconds=" << static_cast<int>(secs + 0.5)
                  << " violations=" << report.violations() << " seed=" << opt.seed << std::endl;
    }
    return report.violations();
}

} // namespace zerobuffer::torture
