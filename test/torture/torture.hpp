// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_TORTURE_TORTURE_HPP
#define ZEROBUFFER_TEST_TORTURE_TORTURE_HPP

// zerobuffer_torture: crash and soak torture of a reader and a writer in
// separate processes (children made with fork, without exec).
//
// Every writer process ("slot") publishes what it did in a shared anonymous
// mapping made before any fork: how many frames it committed (updated right
// after each commit returns), and in which phase of a write it is. After a
// SIGKILL the parent knows exactly what the dead writer committed: the reader
// must have delivered that many frames, or one more when the writer died
// inside a commit (the frame may be published without being announced).
//
// Frame `seq` of slot `k` has size `frame_size(seed, k, seq)` and the test
// pattern of `seq`. The first frame of a slot has size 1 + k % 8192, which
// tells the reader which writer a new session (sequence 1) belongs to.

#include <zerobuffer/error.hpp>
#include <zerobuffer/frame.hpp>
#include <zerobuffer/reader.hpp>
#include <zerobuffer/wait_strategy.hpp>
#include <zerobuffer/writer.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <new>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <sys/types.h>
#include <unistd.h>

namespace zerobuffer::torture {

using clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

/// How long the surviving side may take to report a peer's death or
/// disconnect. Generous: the machine is shared and noisy.
inline constexpr auto report_bound = 5s;

/// What a writer process is doing, as it last told us.
enum class write_phase : std::uint32_t {
    idle,       ///< between frames
    reserving,  ///< inside get_frame_buffer (possibly waiting for space)
    reserved,   ///< holds a reservation, filling it or lingering
    committing, ///< inside commit_frame
    writing,    ///< inside write_frame (reserve and commit in one call)
};
inline constexpr std::size_t phase_count = 5;
std::string_view to_string(write_phase p) noexcept;

/// One writer process's report, in memory shared with the parent.
struct writer_slot {
    std::atomic<std::uint64_t> committed{0};       ///< frames whose commit returned
    std::atomic<std::uint64_t> bytes{0};           ///< their data bytes
    std::atomic<std::uint64_t> wraps{0};           ///< reservations that wrapped to the ring start
    std::atomic<std::uint32_t> phase{0};           ///< a write_phase
    std::atomic<std::uint32_t> wrapped_pending{0}; ///< the pending reservation wrapped
    std::atomic<std::uint32_t> started{0};         ///< the writer is attached
    std::atomic<std::uint32_t> ending{0};          ///< it is being killed, or is closing
    std::atomic<std::int32_t> error{0};            ///< an unexpected failure: errc value or -errno
    std::atomic<std::int32_t> pid{0};
    std::atomic<std::int64_t> ending_ns{0}; ///< steady clock when `ending` was set
};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

/// What a reader process reports (reader-kills mode).
struct reader_slot {
    std::atomic<std::uint64_t> delivered{0}; ///< frames read and verified
    std::atomic<std::uint64_t> bytes{0};
    std::atomic<std::uint64_t> bad{0};     ///< frames that failed verification
    std::atomic<std::uint32_t> started{0}; ///< the reader exists
    std::atomic<std::int32_t> error{0};    ///< an unexpected failure: errc value or -errno
    std::atomic<std::int32_t> pid{0};
    std::atomic<std::int64_t> ending_ns{0}; ///< steady clock when it was killed
};

/// An array of `T` in a MAP_SHARED anonymous mapping, inherited by children.
/// `T` is made of lock-free atomics (address-free across processes).
template <class T>
class shared_array {
public:
    explicit shared_array(std::size_t count);
    shared_array(const shared_array&) = delete;
    shared_array& operator=(const shared_array&) = delete;
    ~shared_array();
    T& operator[](std::size_t i) noexcept { return items_[i]; }
    std::size_t size() const noexcept { return count_; }

private:
    T* items_ = nullptr;
    std::size_t count_ = 0;
    std::size_t bytes_ = 0;
};
using shared_slots = shared_array<writer_slot>;

/// splitmix64: a good 64-bit mix of `x`.
constexpr std::uint64_t mix(std::uint64_t x) noexcept
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

/// The size of frame `seq` of slot `slot`: mostly small, some up to
/// `max_frame` (sizes that make reservations wrap often).
std::size_t frame_size(std::uint64_t seed, std::uint64_t slot, std::uint64_t seq,
                       std::size_t max_frame) noexcept;

/// The largest frame that always fits a ring of `payload` bytes.
std::size_t max_frame_for(std::size_t payload) noexcept;

/// A random wait strategy (blocking, spin_then_block, now and then busy_poll).
wait_strategy random_wait(std::mt19937_64& rng);
std::string_view to_string(wait_kind k) noexcept;

/// Uniform integer in [lo, hi].
std::uint64_t uniform(std::mt19937_64& rng, std::uint64_t lo, std::uint64_t hi);
/// True with probability `percent` / 100.
bool chance(std::mt19937_64& rng, unsigned percent);

/// Busy-waits (a writer lingering inside a reservation, on a CPU).
void spin_for(std::chrono::nanoseconds d) noexcept;

/// Violations and figures of one run; `fail` prints a violation at once.
class run_report {
public:
    explicit run_report(std::string mode) : mode_(std::move(mode)) {}
    void fail(const std::string& what);
    std::uint64_t violations() const noexcept { return violations_; }
    const std::string& mode() const noexcept { return mode_; }

private:
    std::string mode_;
    std::uint64_t violations_ = 0;
};

/// Forks a child that runs `body` and ends with `_exit` (never returning
/// into the parent's stack, never running its destructors or atexit).
template <class F>
pid_t fork_child(F&& body);

/// Sends SIGKILL (if `kill`) and reaps. Returns the raw wait status.
int kill_and_reap(pid_t pid, bool kill);

/// Describes a wait status ("killed by signal 9", "exit code 3").
std::string describe_status(int status);

/// The resources of buffer `name` that exist (segment, semaphores, lock
/// file, writer lock files): empty when everything is gone.
std::vector<std::string> leftovers(const std::string& name);

/// The OIEB and the semaphore values of buffer `name`, for a diagnosis.
std::string describe_buffer(const reader& r);

/// Checks the OIEB of an idle buffer whose frames were all released: every
/// byte free, every counted item read, positions equal. Returns "" or why not.
std::string counters_consistent(const reader& r);

/// Verifies the frames delivered by one reader against the writer slots:
/// sequences, sizes, patterns, and the count of every writer session.
class session_tracker {
public:
    session_tracker(shared_slots& slots, std::uint64_t seed, std::size_t max_frame,
                    run_report& report)
        : slots_(slots), seed_(seed), max_frame_(max_frame), report_(report)
    {
    }

    /// Checks a delivered frame; `spawned` slots exist so far.
    void on_frame(const frame& f, std::size_t spawned);
    /// The reader reported a writer's end: the current session is over and
    /// every frame its writer committed must have been delivered.
    void on_end_event(errc e);
    /// The reader reported an error (a sequence gap, corruption): the next
    /// frame is taken as it comes.
    void on_error() noexcept { resync_ = true; }
    /// At the end of a run: accounts every slot below `spawned`.
    void finish(std::size_t spawned);

    std::uint64_t frames() const noexcept { return frames_; }
    std::uint64_t bytes() const noexcept { return bytes_; }
    std::uint64_t sessions() const noexcept { return sessions_; }
    /// Frames delivered beyond the reported count: committed by a writer that
    /// died before it could report (or announce) them.
    std::uint64_t unreported_commits() const noexcept { return unreported_; }
    std::int64_t current_slot() const noexcept { return cur_; }

private:
    void account(std::size_t slot, std::uint64_t delivered, const char* when);

    shared_slots& slots_;
    std::uint64_t seed_;
    std::size_t max_frame_;
    run_report& report_;
    std::int64_t cur_ = -1;       // slot of the session being delivered
    std::int64_t accounted_ = -1; // every slot up to this one was accounted
    std::uint64_t delivered_ = 0; // frames of the current session
    std::uint64_t expected_ = 1;  // next sequence of the current session
    bool resync_ = false;
    std::uint64_t frames_ = 0;
    std::uint64_t bytes_ = 0;
    std::uint64_t sessions_ = 0;
    std::uint64_t unreported_ = 0;
};

/// Command line of the program.
struct options {
    std::uint64_t writer_kills = 0;
    std::uint64_t reader_kills = 0;
    std::uint64_t soak_seconds = 0;
    std::uint64_t seed = 0;
    bool verbose = false;
};

/// The modes; each prints its summary line and returns its violations.
std::uint64_t run_writer_kills(const options& opt, const std::string& name);
std::uint64_t run_reader_kills(const options& opt, const std::string& name);
std::uint64_t run_soak(const options& opt, const std::string& name);
/// Deterministic crash scenarios (part of --writer-kills).
std::uint64_t run_scenarios(const std::string& name);

/// What a writer process does.
struct write_plan {
    std::string name;
    std::uint64_t seed = 0;
    std::size_t slot = 0;
    std::size_t max_frame = 0;
    std::uint64_t frames = 0; ///< 0: until killed or the deadline
    clock::time_point deadline = clock::time_point::max();
    writer_options options;
};

/// Writes the frames of `plan` with `w`, reporting each step in `s`: a mix of
/// zero-copy frames (lingering for a random time inside the reservation) and
/// copies. Throws what the writer throws.
void write_session(writer& w, const write_plan& plan, writer_slot& s, std::mt19937_64& rng);

/// The body of a writer process: attaches, writes `plan`, closes. Returns
/// its exit code (3 on an unexpected error, recorded in `s.error`).
int writer_process(const write_plan& plan, writer_slot& s);

/// Marks `s` as ending now.
void mark_ending(writer_slot& s) noexcept;
std::int64_t now_ns() noexcept;

/// A fresh reader and writer on `name` exchange a few frames, the writer
/// leaves, and everything is removed. Returns "" or what went wrong.
std::string check_name_reusable(const std::string& name);

// ---------------------------------------------------------------------------

/// Maps `bytes` of zeroed shared anonymous memory; throws on failure.
void* map_shared(std::size_t bytes);
void unmap_shared(void* p, std::size_t bytes) noexcept;

template <class T>
shared_array<T>::shared_array(std::size_t count)
    : count_(count), bytes_(std::max<std::size_t>(1, count) * sizeof(T))
{
    items_ = static_cast<T*>(map_shared(bytes_));
    for (std::size_t i = 0; i < count; ++i) {
        ::new (static_cast<void*>(items_ + i)) T();
    }
}

template <class T>
shared_array<T>::~shared_array()
{
    static_assert(std::is_trivially_destructible_v<T>);
    unmap_shared(items_, bytes_);
}

template <class F>
pid_t fork_child(F&& body)
{
    const pid_t pid = ::fork();
    if (pid == 0) {
        int code = 0;
        try {
            code = body();
        } catch (...) {
            code = 99;
        }
        ::_exit(code);
    }
    return pid;
}

} // namespace zerobuffer::torture

#endif // ZEROBUFFER_TEST_TORTURE_TORTURE_HPP
