// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The io_uring backend of zerobuffer::asio's wait_service (uring_sleeper):
// a sleep on a named, process-shared semaphore wakes with its token on a post
// from another thread or process, takes a token already there without
// calling back inside start(), times out no earlier than its deadline, ends
// promptly at cancel(), scales to many concurrent sleeps, and leaves the
// io_context free to return from run() when nothing sleeps. Shutdown and
// destruction with sleeps pending call no callback and leak nothing (run it
// under ASan), and unqueue the futex waits, so a post still reaches a
// sem_wait elsewhere. The wait_service chooses this backend on an io_context
// unless ZEROBUFFER_ASIO_WAIT says otherwise. Skipped (passing) where the
// kernel has no IORING_OP_FUTEX_WAIT.

#define BOOST_TEST_MODULE test_asio_uring_sleeper
#include <boost/test/unit_test.hpp>

#include "support/forked.hpp"

#include "../libs/asio/src/futex_sleeper.hpp"
#include "../libs/asio/src/glibc_semaphore.hpp"
#include "../libs/asio/src/uring_sleeper.hpp"

#include <zerobuffer/asio/wait_service.hpp>
#include <zerobuffer/detail/semaphore.hpp>

#include <boost/asio/execution_context.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <semaphore.h>
#include <unistd.h>

using namespace std::chrono_literals;
using zerobuffer::asio::detail::make_uring_sleeper;
using zerobuffer::asio::detail::sleep_request;
using zerobuffer::asio::detail::sleeper;
using zerobuffer::detail::semaphore;
using clock_type = std::chrono::steady_clock;

namespace {

using zerobuffer::test::exit_code;
using zerobuffer::test::fork_child;

/// A unique semaphore name for this process ("/sem-t-uring-<pid>-<n>").
std::string unique_sem_name()
{
    static std::atomic<unsigned> counter{0};
    return "/sem-t-uring-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

/// A named semaphore (value 0), removed again at the end.
struct named_sem {
    std::string name = unique_sem_name();
    semaphore sem;

    named_sem()
    {
        boost::system::error_code ec;
        sem = semaphore::create(name, 0600, ec);
        BOOST_TEST_REQUIRE(!ec, ec.message());
    }
    ~named_sem() { semaphore::remove(name); }
    named_sem(const named_sem&) = delete;
    named_sem& operator=(const named_sem&) = delete;

    sem_t* native() const { return sem.native_handle(); }
    /// Adds a token; callable from any thread (no Boost.Test in it: that is
    /// not thread-safe), so the caller checks the result.
    bool post()
    {
        boost::system::error_code ec;
        sem.post(ec);
        return !ec;
    }
    int value() const
    {
        int v = -1;
        BOOST_TEST(::sem_getvalue(native(), &v) == 0);
        return v;
    }
    /// glibc's waiter count (the high half of the semaphore's first word):
    /// back to 0 once no sleep is registered.
    std::uint32_t waiters() const
    {
        const auto data =
            std::atomic_ref<std::uint64_t>(*reinterpret_cast<std::uint64_t*>(native()))
                .load(std::memory_order_relaxed);
        return static_cast<std::uint32_t>(data >> 32);
    }
};

/// A sleeper of `ctx`, or null when this kernel cannot have one (the test
/// then passes with a message).
std::unique_ptr<sleeper> sleeper_or_skip(boost::asio::io_context& ctx)
{
    boost::system::error_code ec;
    auto s = make_uring_sleeper(ctx, ec);
    if (!s) {
        BOOST_TEST_MESSAGE("io_uring futex wait unavailable here: " << ec.message());
        BOOST_TEST(ec.failed());
    } else {
        BOOST_TEST(!ec.failed());
        BOOST_TEST((s->backend() == zerobuffer::asio::wait_backend::io_uring));
    }
    return s;
}

/// The result of one sleep.
struct outcome {
    std::promise<bool> promise;
    std::future<bool> future = promise.get_future();
    std::atomic<int> calls{0};

    std::function<void(bool)> callback()
    {
        return [this](bool taken) {
            if (calls.fetch_add(1) == 0)
                promise.set_value(taken);
        };
    }
    /// The result, or fails the test after `limit`.
    bool get(std::chrono::milliseconds limit = 5000ms)
    {
        BOOST_TEST_REQUIRE((future.wait_for(limit) == std::future_status::ready),
                           "the sleep did not end in time");
        return future.get();
    }
};

/// Runs `ctx` on a thread; the destructor requires run() to have returned
/// (no sleep pending means no work) within 5 s.
struct runner {
    boost::asio::io_context& ctx;
    std::future<void> done;

    explicit runner(boost::asio::io_context& c, int threads = 1) : ctx(c)
    {
        done = std::async(std::launch::async, [this, threads] {
            std::vector<std::thread> extra;
            for (int i = 1; i < threads; ++i)
                extra.emplace_back([this] { ctx.run(); });
            ctx.run();
            for (auto& t : extra)
                t.join();
        });
    }
    bool returned(std::chrono::milliseconds limit = 5000ms)
    {
        return done.wait_for(limit) == std::future_status::ready;
    }
    ~runner()
    {
        if (!returned()) {
            BOOST_TEST_ERROR("io_context::run() did not return with no sleep pending");
            ctx.stop();
        }
        done.wait();
    }
    runner(const runner&) = delete;
    runner& operator=(const runner&) = delete;
};

sleep_request request_for(sem_t* sem, clock_type::time_point deadline, outcome& o)
{
    return sleep_request{sem, deadline, o.callback()};
}

} // namespace

// Both backends read glibc's sem_t from the inside; the wait_service checks
// the layout once per process on the glibc it runs on, and this one passes.
BOOST_AUTO_TEST_CASE(the_glibc_semaphore_layout_is_the_one_the_sleepers_read)
{
    BOOST_TEST(zerobuffer::asio::detail::semaphore_layout_mismatch().empty());
    // A named semaphore (every buffer's) is process-shared.
    named_sem sem;
    const zerobuffer::asio::detail::glibc_semaphore g(sem.native());
    BOOST_TEST(!g.is_private());
    BOOST_TEST(g.value() == 0u);
    BOOST_TEST(sem.post());
    BOOST_TEST(g.value() == 1u);
    BOOST_TEST(sem.value() == 1);
}

BOOST_AUTO_TEST_CASE(post_from_another_thread_wakes_the_sleep)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    outcome o;
    const auto id = s->start(request_for(sem.native(), clock_type::now() + 30s, o));
    BOOST_TEST(id != 0u);
    runner r(ctx);
    std::this_thread::sleep_for(50ms);
    BOOST_TEST(o.calls.load() == 0);
    std::atomic<bool> posted{false};
    std::thread poster([&] { posted = sem.post(); });
    BOOST_TEST(o.get() == true);
    poster.join();
    BOOST_TEST(posted.load());
    BOOST_TEST(sem.value() == 0); // the token went to the sleeper
    BOOST_TEST(sem.waiters() == 0u);
    BOOST_TEST(r.returned());
    BOOST_TEST(o.calls.load() == 1);
}

BOOST_AUTO_TEST_CASE(sleep_without_deadline_wakes_on_post)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    outcome o;
    s->start(request_for(sem.native(), clock_type::time_point::max(), o));
    runner r(ctx);
    std::this_thread::sleep_for(20ms);
    BOOST_TEST(sem.post());
    BOOST_TEST(o.get() == true);
    BOOST_TEST(sem.value() == 0);
}

BOOST_AUTO_TEST_CASE(post_from_another_process_wakes_the_sleep)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    outcome o;
    s->start(request_for(sem.native(), clock_type::now() + 30s, o));
    runner r(ctx);
    const std::string name = sem.name;
    const pid_t child = fork_child([name] {
        boost::system::error_code ec;
        semaphore other = semaphore::open(name, ec);
        if (ec)
            return 3;
        std::this_thread::sleep_for(50ms);
        other.post(ec);
        return ec ? 4 : 0;
    });
    BOOST_TEST(o.get(10000ms) == true);
    BOOST_TEST(exit_code(child) == 0);
    BOOST_TEST(sem.value() == 0);
    BOOST_TEST(sem.waiters() == 0u);
}

BOOST_AUTO_TEST_CASE(token_already_there_completes_at_once_but_not_inside_start)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    BOOST_TEST(sem.post());
    outcome o;
    const auto before = clock_type::now();
    s->start(request_for(sem.native(), clock_type::now() + 30s, o));
    // Not run yet: done must not have been called from start().
    BOOST_TEST(o.calls.load() == 0);
    std::this_thread::sleep_for(10ms);
    BOOST_TEST(o.calls.load() == 0);
    runner r(ctx);
    BOOST_TEST(o.get() == true);
    BOOST_TEST((clock_type::now() - before < 5s));
    BOOST_TEST(sem.value() == 0);
    BOOST_TEST(sem.waiters() == 0u);
}

BOOST_AUTO_TEST_CASE(deadline_passes_without_post)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    outcome o;
    const auto start = clock_type::now();
    const auto deadline = start + 50ms;
    s->start(request_for(sem.native(), deadline, o));
    runner r(ctx);
    BOOST_TEST(o.get() == false);
    const auto end = clock_type::now();
    BOOST_TEST((end >= deadline), "ended before the deadline");
    BOOST_TEST((end - start < 5s));
    BOOST_TEST(sem.waiters() == 0u);
    BOOST_TEST(r.returned());
}

BOOST_AUTO_TEST_CASE(deadline_already_passed_ends_with_false)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    outcome o;
    s->start(request_for(sem.native(), clock_type::now() - 1s, o));
    runner r(ctx);
    BOOST_TEST(o.get() == false);
    BOOST_TEST(sem.waiters() == 0u);
}

BOOST_AUTO_TEST_CASE(cancel_ends_a_far_sleep_promptly)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    outcome o;
    const auto id = s->start(request_for(sem.native(), clock_type::now() + 600s, o));
    runner r(ctx);
    std::this_thread::sleep_for(20ms);
    const auto before = clock_type::now();
    s->cancel(id);
    BOOST_TEST(o.get() == false);
    BOOST_TEST((clock_type::now() - before < 5s));
    s->cancel(id);      // finished: ignored
    s->cancel(id + 99); // unknown: ignored
    BOOST_TEST(sem.waiters() == 0u);
    BOOST_TEST(r.returned());
    BOOST_TEST(o.calls.load() == 1);
}

BOOST_AUTO_TEST_CASE(cancel_before_the_context_submits_ends_the_sleep)
{
    // Started off the context, the sleep waits for the context to submit it;
    // a cancel in between ends it there, with nothing in the kernel.
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    outcome o;
    const auto id = s->start(request_for(sem.native(), clock_type::time_point::max(), o));
    BOOST_TEST(sem.waiters() == 0u); // not counted in before it is submitted
    s->cancel(id);
    BOOST_TEST(o.calls.load() == 0); // not inside cancel() either
    runner r(ctx);
    BOOST_TEST(o.get() == false);
    BOOST_TEST(sem.waiters() == 0u);
    BOOST_TEST(r.returned());
}

BOOST_AUTO_TEST_CASE(two_hundred_concurrent_sleeps)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    constexpr int n = 200;
    std::vector<std::unique_ptr<named_sem>> sems;
    std::vector<std::unique_ptr<outcome>> outcomes;
    for (int i = 0; i < n; ++i) {
        sems.push_back(std::make_unique<named_sem>());
        outcomes.push_back(std::make_unique<outcome>());
    }
    // Started from several threads at once, on a context run by two.
    {
        std::vector<std::thread> starters;
        for (int t = 0; t < 4; ++t)
            starters.emplace_back([&, t] {
                for (int i = t; i < n; i += 4)
                    s->start(request_for(sems[static_cast<std::size_t>(i)]->native(),
                                         clock_type::now() + 60s,
                                         *outcomes[static_cast<std::size_t>(i)]));
            });
        for (auto& t : starters)
            t.join();
    }
    runner r(ctx, 2);
    std::this_thread::sleep_for(20ms);
    std::atomic<int> posted{0};
    std::thread poster([&] {
        for (auto& sem : sems)
            posted += sem->post() ? 1 : 0;
    });
    int taken = 0;
    for (auto& o : outcomes)
        taken += o->get(10000ms) ? 1 : 0;
    poster.join();
    BOOST_TEST(posted.load() == n);
    BOOST_TEST(taken == n);
    for (auto& sem : sems) {
        BOOST_TEST(sem->value() == 0);
        BOOST_TEST(sem->waiters() == 0u);
    }
    for (auto& o : outcomes)
        BOOST_TEST(o->calls.load() == 1);
}

BOOST_AUTO_TEST_CASE(private_semaphore_uses_the_private_futex)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    sem_t local;
    BOOST_TEST_REQUIRE(::sem_init(&local, 0, 0) == 0);
    outcome o;
    s->start(request_for(&local, clock_type::now() + 30s, o));
    {
        runner r(ctx);
        std::this_thread::sleep_for(20ms);
        BOOST_TEST(::sem_post(&local) == 0);
        BOOST_TEST(o.get() == true);
    }
    ::sem_destroy(&local);
}

BOOST_AUTO_TEST_CASE(sleep_started_by_a_thread_that_exited_still_wakes)
{
    // A sleep started on a thread that is not the context's is submitted
    // from the context (the kernel's completion then needs no other thread),
    // and the starting thread may be gone by then.
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    outcome o;
    std::thread([&] { s->start(request_for(sem.native(), clock_type::now() + 30s, o)); }).join();
    runner r(ctx);
    std::this_thread::sleep_for(50ms);
    BOOST_TEST(o.calls.load() == 0);
    BOOST_TEST(sem.post());
    BOOST_TEST(o.get() == true);
    BOOST_TEST(sem.value() == 0);
}

BOOST_AUTO_TEST_CASE(a_sleep_that_loses_the_token_sleeps_on)
{
    // One token, two sleeps: both see it (-EAGAIN at once), one takes it, and
    // the other does not end early with false but sleeps on until a post.
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    BOOST_TEST(sem.post());
    outcome first;
    outcome second;
    s->start(request_for(sem.native(), clock_type::now() + 30s, first));
    s->start(request_for(sem.native(), clock_type::now() + 30s, second));
    runner r(ctx);
    const auto winner = [&]() -> outcome* {
        for (auto deadline = clock_type::now() + 5s; clock_type::now() < deadline;) {
            if (first.calls.load() != 0)
                return &first;
            if (second.calls.load() != 0)
                return &second;
            std::this_thread::sleep_for(1ms);
        }
        return nullptr;
    }();
    BOOST_TEST_REQUIRE(winner != nullptr);
    outcome& loser = winner == &first ? second : first;
    BOOST_TEST(winner->get() == true);
    std::this_thread::sleep_for(100ms);
    BOOST_TEST(loser.calls.load() == 0);
    BOOST_TEST(sem.post());
    BOOST_TEST(loser.get() == true);
    BOOST_TEST(sem.value() == 0);
    BOOST_TEST(sem.waiters() == 0u);
}

BOOST_AUTO_TEST_CASE(run_returns_when_nothing_sleeps)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    {
        runner r(ctx); // no sleep ever: returns at once
        BOOST_TEST(r.returned());
    }
    named_sem sem;
    for (int round = 0; round < 3; ++round) {
        ctx.restart();
        outcome o;
        s->start(request_for(sem.native(), clock_type::now() + 20ms, o));
        runner r(ctx);
        BOOST_TEST(o.get() == false);
        BOOST_TEST(r.returned()); // idle again after each sleep
    }
}

BOOST_AUTO_TEST_CASE(shutdown_with_sleeps_pending_calls_no_done)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem a;
    named_sem b;
    std::atomic<int> calls{0};
    auto token = std::make_shared<int>(0); // held by every callback
    std::weak_ptr<int> watch = token;
    const auto callback = [&calls, &token] {
        return std::function<void(bool)>([&calls, held = token](bool) { calls.fetch_add(1); });
    };
    s->start({a.native(), clock_type::now() + 600s, callback()});
    s->start({b.native(), clock_type::time_point::max(), callback()});
    s->start({a.native(), clock_type::now() + 600s, callback()});
    token.reset();
    {
        runner r(ctx);
        std::this_thread::sleep_for(30ms);
        s->shutdown();
        BOOST_TEST(r.returned()); // the reactor wait is gone with the sleeps
    }
    BOOST_TEST(watch.expired()); // the callbacks were destroyed
    BOOST_TEST(a.waiters() == 0u);
    BOOST_TEST(b.waiters() == 0u);
    BOOST_TEST(a.post());
    BOOST_TEST(b.post());
    // Later starts are ignored.
    token = std::make_shared<int>(1);
    watch = token;
    const auto id = s->start({a.native(), clock_type::now() + 10ms, callback()});
    token.reset();
    BOOST_TEST(watch.expired()); // dropped at once
    BOOST_TEST(id != 0u);
    s->cancel(id);
    ctx.restart();
    ctx.run_for(100ms);
    s.reset();
    ctx.restart();
    ctx.run_for(20ms);
    BOOST_TEST(calls.load() == 0);
    BOOST_TEST(a.value() == 1); // nobody took the tokens
    BOOST_TEST(b.value() == 1);
}

BOOST_AUTO_TEST_CASE(destruction_with_sleeps_pending_calls_no_done)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    std::atomic<int> calls{0};
    const auto callback = [&calls](bool) { calls.fetch_add(1); };
    for (int i = 0; i < 10; ++i)
        s->start({sem.native(), clock_type::now() + 600s, callback});
    {
        runner r(ctx);
        std::this_thread::sleep_for(20ms);
        s.reset(); // while the context runs
        BOOST_TEST(r.returned());
    }
    BOOST_TEST(calls.load() == 0);
    BOOST_TEST(sem.waiters() == 0u);
}

namespace {

/// Owns a sleeper as the wait_service does: shut down with the context.
class sleeper_service : public boost::asio::execution_context::service {
public:
    using key_type = sleeper_service;
    static inline boost::asio::execution_context::id id;

    explicit sleeper_service(boost::asio::execution_context& context)
        : boost::asio::execution_context::service(context)
    {
        boost::system::error_code ec;
        sleeper_ = make_uring_sleeper(static_cast<boost::asio::io_context&>(context), ec);
    }
    sleeper* get() const noexcept { return sleeper_.get(); }

private:
    void shutdown() override
    {
        if (sleeper_)
            sleeper_->shutdown();
    }

    std::unique_ptr<sleeper> sleeper_;
};

} // namespace

BOOST_AUTO_TEST_CASE(context_destroyed_with_sleeps_pending)
{
    named_sem sem;
    std::atomic<int> calls{0};
    {
        boost::asio::io_context ctx;
        auto& service = boost::asio::use_service<sleeper_service>(ctx);
        if (service.get() == nullptr) {
            BOOST_TEST_MESSAGE("io_uring futex wait unavailable here");
            return;
        }
        for (int i = 0; i < 5; ++i)
            service.get()->start(
                {sem.native(), clock_type::now() + 600s, [&calls](bool) { calls.fetch_add(1); }});
        ctx.run_for(20ms); // the reactor wait is outstanding when ctx goes
    }
    BOOST_TEST(calls.load() == 0);
    BOOST_TEST(sem.waiters() == 0u);
}

BOOST_AUTO_TEST_CASE(shutdown_unqueues_the_futex_waits_so_a_post_reaches_sem_wait)
{
    // A futex wait of a shut-down sleeper that stayed queued in the kernel
    // would be first in line for sem_post's single wake-up, and a sem_wait
    // queued after it would sleep on with the token there.
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    outcome o;
    s->start(request_for(sem.native(), clock_type::time_point::max(), o));
    s->start(request_for(sem.native(), clock_type::time_point::max(), o));
    ctx.run_for(50ms); // submits them: the futex waits are queued
    BOOST_TEST(o.calls.load() == 0);
    s->shutdown(); // the sleeper itself stays
    std::promise<bool> woke;
    std::thread waiter([&] {
        timespec until{};
        ::clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 5;
        woke.set_value(::sem_timedwait(sem.native(), &until) == 0);
    });
    std::this_thread::sleep_for(50ms); // the sem_wait is queued behind
    BOOST_TEST(sem.post());
    auto result = woke.get_future();
    BOOST_TEST((result.wait_for(3s) == std::future_status::ready),
               "sem_post's wake-up went to a shut-down sleep");
    waiter.join();
    BOOST_TEST(result.get());
    BOOST_TEST(o.calls.load() == 0);
    BOOST_TEST(sem.waiters() == 0u);
}

namespace {

/// Sets ZEROBUFFER_ASIO_WAIT (or unsets it: nullopt) for a scope.
class forced_wait {
public:
    explicit forced_wait(std::optional<std::string> value)
    {
        if (const char* old = std::getenv(variable))
            old_ = old;
        set(value);
    }
    ~forced_wait() { set(old_); }
    forced_wait(const forced_wait&) = delete;
    forced_wait& operator=(const forced_wait&) = delete;

private:
    static constexpr const char* variable = "ZEROBUFFER_ASIO_WAIT";
    static void set(const std::optional<std::string>& value)
    {
        if (value)
            ::setenv(variable, value->c_str(), 1);
        else
            ::unsetenv(variable);
    }
    std::optional<std::string> old_;
};

zerobuffer::asio::wait_backend backend_of_new_io_context()
{
    boost::asio::io_context ctx;
    return boost::asio::use_service<zerobuffer::asio::wait_service>(ctx).backend();
}

bool io_uring_usable()
{
    boost::asio::io_context ctx;
    boost::system::error_code ec;
    return make_uring_sleeper(ctx, ec) != nullptr;
}

} // namespace

BOOST_AUTO_TEST_CASE(wait_service_chooses_the_backend)
{
    using zerobuffer::asio::wait_backend;
    using zerobuffer::asio::wait_service;
    const bool usable = io_uring_usable();
    {
        forced_wait unset(std::nullopt);
        BOOST_TEST((backend_of_new_io_context() ==
                    (usable ? wait_backend::io_uring : wait_backend::futex_waitv)));
        // Any other execution context: futex_waitv.
        boost::asio::thread_pool pool(1);
        BOOST_TEST(
            (boost::asio::use_service<wait_service>(pool).backend() == wait_backend::futex_waitv));
    }
    {
        forced_wait forced("futex_waitv");
        BOOST_TEST((backend_of_new_io_context() == wait_backend::futex_waitv));
    }
    {
        forced_wait forced("io_uring");
        if (usable)
            BOOST_TEST((backend_of_new_io_context() == wait_backend::io_uring));
        else
            BOOST_CHECK_THROW(backend_of_new_io_context(), boost::system::system_error);
        // No reactor to use on a thread_pool: futex_waitv all the same.
        boost::asio::thread_pool pool(1);
        BOOST_TEST(
            (boost::asio::use_service<wait_service>(pool).backend() == wait_backend::futex_waitv));
    }
    {
        forced_wait forced("epoll");
        BOOST_CHECK_THROW(backend_of_new_io_context(), std::invalid_argument);
    }
    BOOST_TEST(std::string(to_string(wait_backend::io_uring)) == "io_uring");
    BOOST_TEST(std::string(to_string(wait_backend::futex_waitv)) == "futex_waitv");
}

namespace {

/// A pipe whose read end a watched sleep polls.
struct watch_pipe {
    int fds[2] = {-1, -1};
    watch_pipe() { BOOST_TEST_REQUIRE(::pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0); }
    watch_pipe(const watch_pipe&) = delete;
    watch_pipe& operator=(const watch_pipe&) = delete;
    ~watch_pipe()
    {
        ::close(fds[0]);
        ::close(fds[1]);
    }
    int fd() const { return fds[0]; }
    void fire() const { BOOST_TEST_REQUIRE(::write(fds[1], "x", 1) == 1); }
};

sleep_request watched_request(sem_t* sem, clock_type::time_point deadline,
                              clock_type::time_point watched_until, int fd, outcome& o)
{
    sleep_request r = request_for(sem, deadline, o);
    r.watch = {fd, watched_until};
    return r;
}

} // namespace

BOOST_AUTO_TEST_CASE(a_watched_sleep_outlasts_its_slice_and_ends_when_the_watch_is_readable)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    watch_pipe pipe;
    outcome o;
    // A slice of 20 ms, watched until 600 s from now: the watch's deadline
    // is the one in force.
    s->start(watched_request(sem.native(), clock_type::now() + 20ms, clock_type::now() + 600s,
                             pipe.fd(), o));
    runner r(ctx);
    std::this_thread::sleep_for(300ms);
    BOOST_TEST(o.calls.load() == 0, "a watched sleep ended at its unwatched slice");
    pipe.fire();
    BOOST_TEST(o.get() == false);
    BOOST_TEST(sem.waiters() == 0u);
    BOOST_TEST(r.returned(), "every request of the sleep was reaped");
    BOOST_TEST(o.calls.load() == 1);
}

BOOST_AUTO_TEST_CASE(a_watched_sleep_woken_by_a_token_cancels_its_poll)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    watch_pipe pipe;
    outcome o;
    s->start(watched_request(sem.native(), clock_type::now() + 600s, clock_type::now() + 600s,
                             pipe.fd(), o));
    runner r(ctx);
    std::this_thread::sleep_for(20ms);
    BOOST_TEST(sem.post());
    BOOST_TEST(o.get() == true);
    BOOST_TEST(sem.value() == 0);
    // The poll would keep the context busy for 600 s had it not been cancelled.
    BOOST_TEST(r.returned());
    BOOST_TEST(o.calls.load() == 1);
}

BOOST_AUTO_TEST_CASE(a_watched_sleep_whose_watch_is_readable_already_ends_at_once)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    watch_pipe pipe;
    pipe.fire(); // an event before the sleep began, not read yet
    outcome o;
    s->start(watched_request(sem.native(), clock_type::now() + 600s, clock_type::now() + 600s,
                             pipe.fd(), o));
    runner r(ctx);
    BOOST_TEST(o.get() == false);
    BOOST_TEST(r.returned());
}

BOOST_AUTO_TEST_CASE(a_watched_sleep_ends_at_its_watched_deadline)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    watch_pipe pipe;
    outcome o;
    const auto until = clock_type::now() + 100ms;
    s->start(watched_request(sem.native(), clock_type::now() + 10ms, until, pipe.fd(), o));
    runner r(ctx);
    BOOST_TEST(o.get() == false);
    BOOST_TEST((clock_type::now() >= until), "ended before the watched deadline");
    BOOST_TEST(sem.waiters() == 0u);
    BOOST_TEST(r.returned());
}

BOOST_AUTO_TEST_CASE(a_watched_sleep_cancelled_ends_and_reaps_its_poll)
{
    boost::asio::io_context ctx;
    auto s = sleeper_or_skip(ctx);
    if (!s)
        return;
    named_sem sem;
    watch_pipe pipe;
    outcome o;
    const auto id = s->start(watched_request(sem.native(), clock_type::now() + 600s,
                                             clock_type::now() + 600s, pipe.fd(), o));
    runner r(ctx);
    std::this_thread::sleep_for(20ms);
    s->cancel(id);
    BOOST_TEST(o.get() == false);
    BOOST_TEST(r.returned());
}

BOOST_AUTO_TEST_CASE(the_futex_waitv_backend_sleeps_its_slice_whatever_the_watch)
{
    // It cannot poll a descriptor: a long watched deadline would leave the
    // peer unwatched, so it keeps the slice.
    boost::system::error_code ec;
    if (!zerobuffer::asio::detail::futex_waitv_available(ec))
        return;
    auto s = zerobuffer::asio::detail::make_futex_sleeper();
    named_sem sem;
    watch_pipe pipe;
    outcome o;
    const auto start = clock_type::now();
    s->start(watched_request(sem.native(), start + 50ms, start + 600s, pipe.fd(), o));
    BOOST_TEST(o.get() == false);
    BOOST_TEST((clock_type::now() - start < 5s));
    s->shutdown();
}
