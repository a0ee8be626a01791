// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer/detail/semaphore.hpp: a POSIX named semaphore over sem_open.
// Create, open and remove report errno; a created semaphore has exactly the
// requested mode whatever the umask; tokens count; the waits time out no
// earlier than asked, on the steady clock, survive signals, and wake on a
// post from another thread or process; the native handle is the raw sem_t.
//
// That wait_until ignores the realtime clock cannot be tested without setting
// that clock: it rests on sem_clockwait(CLOCK_MONOTONIC) (semaphore.cpp) and
// on steady_clock reading CLOCK_MONOTONIC, which is checked here.

#define BOOST_TEST_MODULE test_semaphore
#include <boost/test/unit_test.hpp>

#include "support/forked.hpp"
#include "support/naming.hpp"

#include <zerobuffer/detail/glibc_semaphore.hpp>
#include <zerobuffer/detail/semaphore.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <ctime>
#include <string>
#include <thread>
#include <utility>

#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace std::chrono_literals;
using zerobuffer::detail::semaphore;
using clock_type = std::chrono::steady_clock;

namespace {

using zerobuffer::test::exit_code;
using zerobuffer::test::fork_child;

/// A unique semaphore name ("/sem-t-BASE_<id>"), removed when the guard goes.
struct name_guard {
    std::string name;

    explicit name_guard(const std::string& base)
        : name("/sem-t-" + zerobuffer::test::unique_name("semaphore-" + base))
    {
    }
    ~name_guard() { semaphore::remove(name); }
    name_guard(const name_guard&) = delete;
    name_guard& operator=(const name_guard&) = delete;
};

/// A semaphore created (value 0, mode 0600) under a guarded name.
struct semaphore_fixture : name_guard {
    semaphore sem;

    explicit semaphore_fixture(const std::string& base) : name_guard(base)
    {
        boost::system::error_code ec;
        sem = semaphore::create(name, 0600, ec);
        BOOST_TEST_REQUIRE(!ec, ec.message());
        BOOST_TEST_REQUIRE(sem.is_open());
    }
};

int value_of(const semaphore& s)
{
    int value = -1;
    BOOST_TEST_REQUIRE(::sem_getvalue(s.native_handle(), &value) == 0);
    return value;
}

/// The file glibc keeps `name` ("/x") in.
std::string file_of(const std::string& name)
{
    return "/dev/shm/sem." + name.substr(1);
}

std::atomic<int> signals_seen{0};
extern "C" void count_signal(int)
{
    signals_seen.fetch_add(1, std::memory_order_relaxed);
}

/// SIGUSR1 counted, without SA_RESTART (a wait it interrupts gets EINTR),
/// for the life of the object.
struct sigusr1_counter {
    struct sigaction old {};

    sigusr1_counter()
    {
        struct sigaction sa {};
        sa.sa_handler = count_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;
        BOOST_TEST_REQUIRE(::sigaction(SIGUSR1, &sa, &old) == 0);
        signals_seen = 0;
    }
    ~sigusr1_counter() { ::sigaction(SIGUSR1, &old, nullptr); }
};

} // namespace

BOOST_AUTO_TEST_CASE(create_open_and_remove)
{
    name_guard g("create");
    boost::system::error_code ec;
    semaphore created = semaphore::create(g.name, 0600, ec);
    BOOST_TEST_REQUIRE(!ec, ec.message());
    BOOST_TEST(created.is_open());
    BOOST_TEST(created.native_handle() != nullptr);

    semaphore opened = semaphore::open(g.name, ec);
    BOOST_TEST_REQUIRE(!ec, ec.message());
    BOOST_TEST(opened.is_open());

    // One count behind both handles.
    created.post(ec);
    BOOST_TEST(!ec);
    BOOST_TEST(value_of(opened) == 1);
    BOOST_TEST(opened.try_wait());
    BOOST_TEST(!created.try_wait());

    BOOST_TEST(semaphore::remove(g.name));
    BOOST_TEST(!semaphore::remove(g.name)); // gone already
    semaphore again = semaphore::open(g.name, ec);
    BOOST_TEST((ec == boost::system::error_code(ENOENT, boost::system::system_category())));
    BOOST_TEST(!again.is_open());

    // Handles open before the unlink keep working.
    opened.post(ec);
    BOOST_TEST(!ec);
    BOOST_TEST(created.try_wait());
}

BOOST_AUTO_TEST_CASE(an_exclusive_create_of_an_existing_name_fails_with_eexist)
{
    semaphore_fixture f("exclusive");
    boost::system::error_code ec;
    semaphore second = semaphore::create(f.name, 0600, ec);
    BOOST_TEST((ec == boost::system::error_code(EEXIST, boost::system::system_category())),
               ec.message());
    BOOST_TEST(!second.is_open());
    BOOST_TEST(f.sem.is_open()); // the first one is untouched
    BOOST_TEST(::access(file_of(f.name).c_str(), F_OK) == 0);
}

BOOST_AUTO_TEST_CASE(an_open_of_a_missing_name_fails_with_enoent)
{
    name_guard g("missing");
    boost::system::error_code ec;
    semaphore s = semaphore::open(g.name, ec);
    BOOST_TEST((ec == boost::system::error_code(ENOENT, boost::system::system_category())),
               ec.message());
    BOOST_TEST(!s.is_open());
    BOOST_TEST(s.native_handle() == nullptr);
}

BOOST_AUTO_TEST_CASE(the_mode_is_exactly_the_requested_one_whatever_the_umask)
{
    struct case_ {
        mode_t umask;
        unsigned mode;
    };
    int i = 0;
    for (const case_ c : {case_{077, 0666}, case_{022, 0666}, case_{077, 0640}, case_{0, 0600}}) {
        name_guard g("mode" + std::to_string(i++));
        const mode_t old = ::umask(c.umask);
        boost::system::error_code ec;
        semaphore s = semaphore::create(g.name, c.mode, ec);
        ::umask(old);
        BOOST_TEST_REQUIRE(!ec, ec.message());
        struct stat st {};
        BOOST_TEST_REQUIRE(::stat(file_of(g.name).c_str(), &st) == 0);
        BOOST_TEST((st.st_mode & 07777) == c.mode, "umask " << std::oct << c.umask);
    }
}

BOOST_AUTO_TEST_CASE(posts_and_try_waits_count_tokens)
{
    semaphore_fixture f("count");
    BOOST_TEST(!f.sem.try_wait()); // created with value 0
    boost::system::error_code ec;
    for (int i = 0; i < 3; ++i) {
        f.sem.post(ec);
        BOOST_TEST(!ec);
    }
    BOOST_TEST(value_of(f.sem) == 3);
    BOOST_TEST(f.sem.try_wait());
    BOOST_TEST(f.sem.try_wait());
    BOOST_TEST(f.sem.try_wait());
    BOOST_TEST(!f.sem.try_wait());
    BOOST_TEST(value_of(f.sem) == 0);
}

// try_take takes what is there, at most what was asked, and leaves a waiter
// counted in (glibc's high half of the word) alone.
BOOST_AUTO_TEST_CASE(try_take_takes_at_most_what_is_there)
{
    semaphore_fixture f("take");
    BOOST_TEST(f.sem.try_take(4) == 0u);
    boost::system::error_code ec;
    for (int i = 0; i < 5; ++i) {
        f.sem.post(ec);
        BOOST_TEST_REQUIRE(!ec);
    }
    BOOST_TEST(f.sem.try_take(3) == 3u);
    BOOST_TEST(value_of(f.sem) == 2);
    BOOST_TEST(f.sem.try_take(0) == 0u);
    BOOST_TEST(f.sem.try_take(10) == 2u);
    BOOST_TEST(value_of(f.sem) == 0);
    BOOST_TEST(!f.sem.try_wait());

#if ZEROBUFFER_GLIBC_SEMAPHORE_LAYOUT
    // On glibc the take is the compare-and-swap (the layout check passed).
    BOOST_TEST(zerobuffer::detail::semaphore_layout_as_expected());
    // A waiter counted in (the high half of glibc's word, as a thread asleep
    // in sem_wait is) stays counted: sem_post keeps waking it.
    const zerobuffer::detail::glibc_semaphore g(f.sem.native_handle());
    const auto waiters = [&] {
        return std::atomic_ref<std::uint64_t>(
                   *reinterpret_cast<std::uint64_t*>(f.sem.native_handle()))
                   .load() >>
               32;
    };
    g.add_waiter();
    for (int i = 0; i < 3; ++i) {
        f.sem.post(ec);
    }
    BOOST_TEST(f.sem.try_take(2) == 2u);
    BOOST_TEST(value_of(f.sem) == 1);
    BOOST_TEST(waiters() == 1u);
    g.remove_waiter();
    BOOST_TEST(waiters() == 0u);
    BOOST_TEST(f.sem.try_take(2) == 1u);
#endif
}

// Tokens posted by another process while we take them in bulk are each taken
// exactly once: the takes add up to the posts.
BOOST_AUTO_TEST_CASE(bulk_takes_beside_another_processes_posts_add_up)
{
    semaphore_fixture f("take-race");
    constexpr int posts = 200000;
    const std::string name = f.name;
    const pid_t pid = fork_child([&name] {
        boost::system::error_code cec;
        semaphore s = semaphore::open(name, cec);
        if (cec) {
            return 3;
        }
        for (int i = 0; i < posts; ++i) {
            s.post(cec);
            if (cec) {
                return 4;
            }
        }
        return 0;
    });
    std::uint64_t taken = 0;
    const auto give_up = clock_type::now() + 60s;
    int status = 0;
    bool exited = false;
    while (taken < posts && clock_type::now() < give_up) {
        const std::uint64_t got = f.sem.try_take(64);
        taken += got;
        if (got == 0 && !exited && ::waitpid(pid, &status, WNOHANG) == pid) {
            exited = true; // every post is made: what is left is there now
            taken += f.sem.try_take(posts);
            break;
        }
    }
    if (exited) {
        BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    } else {
        BOOST_TEST(exit_code(pid) == 0);
    }
    BOOST_TEST(taken == static_cast<std::uint64_t>(posts));
    BOOST_TEST(value_of(f.sem) == 0);
}

BOOST_AUTO_TEST_CASE(a_post_at_sem_value_max_reports_eoverflow)
{
    name_guard g("overflow");
    // Made raw, to start at the maximum count.
    sem_t* raw = ::sem_open(g.name.c_str(), O_CREAT | O_EXCL, 0600, unsigned{SEM_VALUE_MAX});
    BOOST_TEST_REQUIRE((raw != SEM_FAILED));
    ::sem_close(raw);
    boost::system::error_code ec;
    semaphore s = semaphore::open(g.name, ec);
    BOOST_TEST_REQUIRE(!ec, ec.message());
    s.post(ec);
    BOOST_TEST((ec == boost::system::error_code(EOVERFLOW, boost::system::system_category())),
               ec.message());
    BOOST_TEST(value_of(s) == SEM_VALUE_MAX);
}

BOOST_AUTO_TEST_CASE(a_timed_wait_times_out_no_earlier_than_its_timeout)
{
    semaphore_fixture f("timeout");
    for (const auto timeout : {1ms, 30ms, 100ms}) {
        const auto start = clock_type::now();
        BOOST_TEST(!f.sem.timed_wait(timeout));
        BOOST_TEST((clock_type::now() - start >= timeout));
    }
    const auto start = clock_type::now();
    BOOST_TEST(!f.sem.wait_until(start + 50ms));
    BOOST_TEST((clock_type::now() - start >= 50ms));
}

BOOST_AUTO_TEST_CASE(a_zero_or_negative_timeout_and_a_past_deadline_only_try)
{
    semaphore_fixture f("past");
    const auto now = clock_type::now();
    BOOST_TEST(!f.sem.timed_wait(0ns));
    BOOST_TEST(!f.sem.timed_wait(-1s));
    BOOST_TEST(!f.sem.timed_wait(std::chrono::nanoseconds::min()));
    BOOST_TEST(!f.sem.wait_until(now - 1s));
    BOOST_TEST(!f.sem.wait_until(now));
    BOOST_TEST(!f.sem.wait_until(clock_type::time_point{}));
    BOOST_TEST(!f.sem.wait_until(clock_type::time_point::min()));
    // None of them waited (a generous bound: each would otherwise wait 1 s+).
    BOOST_TEST((clock_type::now() - now < 1s));

    // A token that is there is taken even so.
    boost::system::error_code ec;
    for (int i = 0; i < 4; ++i) {
        f.sem.post(ec);
        BOOST_TEST_REQUIRE(!ec);
    }
    BOOST_TEST(f.sem.timed_wait(0ns));
    BOOST_TEST(f.sem.timed_wait(-1s));
    BOOST_TEST(f.sem.wait_until(now - 1s));
    BOOST_TEST(f.sem.wait_until(clock_type::time_point::min()));
    BOOST_TEST(value_of(f.sem) == 0);
}

BOOST_AUTO_TEST_CASE(a_post_from_another_thread_wakes_a_waiter)
{
    semaphore_fixture f("thread");
    // A bounded deadline, the largest deadline and the largest timeout (the
    // last two saturate: they wait forever, so the post must come).
    for (int kind = 0; kind < 3; ++kind) {
        const auto start = clock_type::now();
        std::thread poster([&] {
            std::this_thread::sleep_for(50ms);
            boost::system::error_code ec;
            f.sem.post(ec);
        });
        bool woken = false;
        switch (kind) {
        case 0: woken = f.sem.wait_until(start + 60s); break;
        case 1: woken = f.sem.wait_until(clock_type::time_point::max()); break;
        default: woken = f.sem.timed_wait(std::chrono::nanoseconds::max()); break;
        }
        poster.join();
        BOOST_TEST(woken, "kind " << kind);
        BOOST_TEST((clock_type::now() - start >= 50ms)); // it waited for the post
        BOOST_TEST(value_of(f.sem) == 0);
    }
}

BOOST_AUTO_TEST_CASE(a_post_from_another_process_wakes_a_waiter)
{
    semaphore_fixture f("process");         // the child posts it
    semaphore_fixture back("process-back"); // we post it
    boost::system::error_code ec;

    // The child opens both by name: it waits for our token, then posts its own.
    const std::string name = f.name;
    const std::string back_name = back.name;
    const pid_t pid = fork_child([&name, &back_name] {
        boost::system::error_code cec;
        semaphore to_parent = semaphore::open(name, cec);
        if (cec) {
            return 3;
        }
        semaphore from_parent = semaphore::open(back_name, cec);
        if (cec) {
            return 4;
        }
        if (!from_parent.timed_wait(30s)) {
            return 5;
        }
        std::this_thread::sleep_for(50ms); // the parent is asleep by now
        to_parent.post(cec);
        return cec ? 6 : 0;
    });
    std::this_thread::sleep_for(50ms); // the child is asleep by now (or soon)
    back.sem.post(ec);
    BOOST_TEST(!ec);
    BOOST_TEST(f.sem.wait_until(clock_type::now() + 30s));
    BOOST_TEST(exit_code(pid) == 0);
    BOOST_TEST(value_of(f.sem) == 0);
    BOOST_TEST(value_of(back.sem) == 0);
}

BOOST_AUTO_TEST_CASE(a_wait_interrupted_by_signals_keeps_its_deadline)
{
    semaphore_fixture f("signal");
    sigusr1_counter counter;
    std::atomic<bool> done{false};
    // Signals keep coming while a wait runs: a short deadline still times out
    // no earlier than asked, a long one still takes the post.
    for (const bool post : {false, true}) {
        done = false;
        const pthread_t main_thread = ::pthread_self();
        const auto start = clock_type::now();
        std::thread signaller([&] {
            for (int i = 0; i < 15 && !done; ++i) {
                std::this_thread::sleep_for(10ms);
                ::pthread_kill(main_thread, SIGUSR1);
            }
            if (post) {
                boost::system::error_code ec;
                f.sem.post(ec);
            }
        });
        const bool woken = f.sem.wait_until(start + (post ? 60s : 100ms));
        const auto waited = clock_type::now() - start;
        done = true;
        signaller.join();
        BOOST_TEST(woken == post);
        if (!post) {
            BOOST_TEST((waited >= 100ms));
        }
    }
    BOOST_TEST(signals_seen.load() > 0);
    BOOST_TEST(value_of(f.sem) == 0);
}

BOOST_AUTO_TEST_CASE(the_native_handle_is_the_raw_sem_t)
{
    semaphore_fixture f("native");
    sem_t* raw = f.sem.native_handle();
    BOOST_TEST_REQUIRE(raw != nullptr);
    BOOST_TEST(::sem_post(raw) == 0);
    BOOST_TEST(::sem_post(raw) == 0);
    int value = -1;
    BOOST_TEST(::sem_getvalue(raw, &value) == 0);
    BOOST_TEST(value == 2);
    BOOST_TEST(f.sem.try_wait());
    BOOST_TEST(::sem_trywait(raw) == 0);
    BOOST_TEST(::sem_getvalue(raw, &value) == 0);
    BOOST_TEST(value == 0);
    BOOST_TEST(semaphore().native_handle() == nullptr);
}

BOOST_AUTO_TEST_CASE(moves_transfer_the_semaphore)
{
    semaphore_fixture f("move");
    sem_t* raw = f.sem.native_handle();

    semaphore moved(std::move(f.sem));
    BOOST_TEST(moved.is_open());
    BOOST_TEST(moved.native_handle() == raw);
    BOOST_TEST(!f.sem.is_open()); // NOLINT(bugprone-use-after-move): the moved-from state
    BOOST_TEST(f.sem.native_handle() == nullptr);

    // A moved-from object fails cleanly.
    boost::system::error_code ec;
    f.sem.post(ec);
    BOOST_TEST((ec == boost::system::error_code(EBADF, boost::system::system_category())));
    BOOST_TEST(!f.sem.try_wait());
    BOOST_TEST(!f.sem.timed_wait(1ms));
    BOOST_TEST(!f.sem.wait_until(clock_type::now() + 1ms));

    // Assignment over an open semaphore closes that one and takes the other.
    boost::system::error_code oec;
    semaphore other = semaphore::open(f.name, oec);
    BOOST_TEST_REQUIRE(!oec, oec.message());
    semaphore target = semaphore::open(f.name, oec);
    BOOST_TEST_REQUIRE(!oec, oec.message());
    sem_t* other_raw = other.native_handle();
    target = std::move(other);
    BOOST_TEST(target.native_handle() == other_raw);
    BOOST_TEST(!other.is_open());

    // Assignment into a closed one, and back.
    f.sem = std::move(moved);
    BOOST_TEST(f.sem.native_handle() == raw);
    BOOST_TEST(!moved.is_open());
    f.sem.post(ec);
    BOOST_TEST(!ec);
    BOOST_TEST(target.try_wait()); // one count behind every handle
}

BOOST_AUTO_TEST_CASE(steady_clock_reads_clock_monotonic)
{
    // wait_until hands steady_clock deadlines to sem_clockwait(CLOCK_MONOTONIC).
    const auto mono = [] {
        timespec ts{};
        ::clock_gettime(CLOCK_MONOTONIC, &ts);
        return clock_type::time_point(std::chrono::seconds(ts.tv_sec) +
                                      std::chrono::nanoseconds(ts.tv_nsec));
    };
    const auto before = mono();
    const auto steady = clock_type::now();
    const auto after = mono();
    BOOST_TEST((before <= steady));
    BOOST_TEST((steady <= after));
}
