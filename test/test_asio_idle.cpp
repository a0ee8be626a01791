// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.
//
// An idle asynchronous reader (issue: "an idle async reader costs no CPU"):
// its read, pending while the writer in another process is attached and
// silent, sleeps watched on the io_uring backend. After its first slices it
// runs no handler at all until something happens, and it still ends at once
// when the writer is killed (CONFORMANCE 2.1, 10.5), closes (2.5) or writes
// (the poll of the watch is cancelled: run() returns when nothing is left).
// A write blocked on a full ring watches its reader the same way.
// On the futex_waitv backend the watch cannot be polled and the read wakes
// every liveness interval, as a blocking read does: those cases check only
// the outcomes there.

#define BOOST_TEST_MODULE asio_idle
#include <boost/test/unit_test.hpp>

#include "support/asio.hpp"
#include "support/forked.hpp"
#include "support/naming.hpp"

#include <zerobuffer/asio.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <csignal>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

namespace net = boost::asio;
namespace zb = zerobuffer;
using namespace std::chrono_literals;
using boost::system::error_code;
using clock_type = std::chrono::steady_clock;

namespace {

/// A writer of `name` in a forked process, attached and silent until told
/// to write one frame ('w') or to close ('c'); killed by `kill()`.
class writer_process {
public:
    explicit writer_process(const std::string& name)
    {
        BOOST_TEST_REQUIRE(::pipe(ready_) == 0);
        BOOST_TEST_REQUIRE(::pipe(commands_) == 0);
        pid_ = zb::test::fork_child([&] {
            zb::writer_options o;
            o.wait = zb::wait_strategy::blocking();
            zb::writer w(name, o);
            char c = 1;
            if (::write(ready_[1], &c, 1) != 1)
                return 3;
            while (::read(commands_[0], &c, 1) == 1) {
                if (c == 'w') {
                    const char text[] = "after the idle time";
                    w.write_frame(std::as_bytes(std::span(text, sizeof text - 1)));
                } else if (c == 'c') {
                    w.close();
                    return 0;
                }
            }
            return 4;
        });
        char c = 0;
        BOOST_TEST_REQUIRE(::read(ready_[0], &c, 1) == 1, "the writer attached");
    }
    writer_process(const writer_process&) = delete;
    writer_process& operator=(const writer_process&) = delete;
    ~writer_process()
    {
        kill();
        for (int fd : {ready_[0], ready_[1], commands_[0], commands_[1]})
            ::close(fd);
    }

    void command(char c) { BOOST_TEST_REQUIRE(::write(commands_[1], &c, 1) == 1); }
    void kill()
    {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            zb::test::exit_code(pid_);
            pid_ = -1;
        }
    }
    int wait_exit()
    {
        const int code = zb::test::exit_code(pid_);
        pid_ = -1;
        return code;
    }

private:
    int ready_[2] = {-1, -1};
    int commands_[2] = {-1, -1};
    pid_t pid_ = -1;
};

zb::buffer_config blocking_config()
{
    zb::buffer_config c;
    c.payload_size = 64 * 1024;
    c.wait = zb::wait_strategy::blocking(); // 100 ms liveness interval
    return c;
}

/// Runs `ctx` for `period` one handler at a time; returns how many ran.
std::size_t handlers_run_during(net::io_context& ctx, std::chrono::milliseconds period)
{
    ctx.restart();
    std::size_t handlers = 0;
    const auto end = clock_type::now() + period;
    while (clock_type::now() < end)
        handlers += ctx.run_one_until(end);
    return handlers;
}

/// The read pending on `r` through an idle second and a half; checks that
/// the io_uring backend ran (nearly) no handler meanwhile.
void idle_through(net::io_context& ctx, zb::asio::reader& r)
{
    const std::size_t handlers = handlers_run_during(ctx, 1500ms);
    BOOST_TEST_MESSAGE(zb::asio::to_string(r.backend())
                       << ": " << handlers << " handlers while the reader was idle");
    if (r.backend() == zb::asio::wait_backend::io_uring) {
        // Two slices of 100 ms come first (the second makes the watch), a
        // few handlers each; a read woken every 100 ms would run 15 slices.
        BOOST_TEST(handlers <= 8U, handlers << " handlers ran while the reader was idle");
    }
}

} // namespace

// 2.1 / 10.5: an idle read, asleep on its watch, sees a SIGKILLed writer as
// writer_dead, long before the watched sleep's 5 s bound.
BOOST_AUTO_TEST_CASE(conformance_10_5_an_idle_read_sees_a_killed_writer_at_once)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-idle-kill");
    zb::asio::reader r(ctx, name, blocking_config());
    writer_process writer(name);
    std::optional<error_code> result;
    r.async_read_frame([&](error_code ec, zb::frame) { result = ec; });
    idle_through(ctx, r);
    BOOST_TEST_REQUIRE(!result.has_value());

    const auto killed = clock_type::now();
    writer.kill();
    BOOST_TEST_REQUIRE(zb::test::run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST(*result == zb::errc::writer_dead, result->message());
    BOOST_TEST((clock_type::now() - killed < 2500ms), "seen by the watch, not a 5 s slice");
}

// 2.5: a clean close ends the idle read with writer_disconnected at once.
BOOST_AUTO_TEST_CASE(conformance_2_5_an_idle_read_sees_a_clean_close_at_once)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-idle-close");
    zb::asio::reader r(ctx, name, blocking_config());
    writer_process writer(name);
    std::optional<error_code> result;
    r.async_read_frame([&](error_code ec, zb::frame) { result = ec; });
    idle_through(ctx, r);
    BOOST_TEST_REQUIRE(!result.has_value());

    const auto closed = clock_type::now();
    writer.command('c');
    BOOST_TEST_REQUIRE(zb::test::run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST(writer.wait_exit() == 0);
    BOOST_TEST(*result == zb::errc::writer_disconnected, result->message());
    BOOST_TEST((clock_type::now() - closed < 2500ms), "seen by the watch, not a 5 s slice");
}

// A frame after the idle time completes the read; the watch's poll goes with
// the sleep, so run() returns once nothing is pending.
BOOST_AUTO_TEST_CASE(an_idle_read_gets_the_frame_written_after_the_idle_time)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-idle-frame");
    zb::asio::reader r(ctx, name, blocking_config());
    writer_process writer(name);
    std::optional<error_code> result;
    std::string text;
    r.async_read_frame([&](error_code ec, zb::frame f) {
        result = ec;
        if (f.valid())
            text.assign(reinterpret_cast<const char*>(f.data()), f.size());
    });
    idle_through(ctx, r);
    BOOST_TEST_REQUIRE(!result.has_value());

    writer.command('w');
    BOOST_TEST_REQUIRE(zb::test::run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST(!*result, result->message());
    BOOST_TEST(text == "after the idle time");
    ctx.restart();
    ctx.run_for(3s);
    BOOST_TEST(ctx.stopped(), "run() returned: no poll was left behind");

    // The next read idles and is watched again.
    result.reset();
    r.async_read_frame([&](error_code ec, zb::frame) { result = ec; });
    idle_through(ctx, r);
    writer.kill();
    BOOST_TEST_REQUIRE(zb::test::run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST(*result == zb::errc::writer_dead, result->message());
}

// A read cancelled while asleep on its watch ends with operation_aborted and
// leaves nothing behind.
BOOST_AUTO_TEST_CASE(conformance_10_3_an_idle_read_cancelled_on_its_watch)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-idle-cancel");
    zb::asio::reader r(ctx, name, blocking_config());
    writer_process writer(name);
    std::optional<error_code> result;
    r.async_read_frame([&](error_code ec, zb::frame) { result = ec; });
    idle_through(ctx, r);
    r.cancel();
    BOOST_TEST_REQUIRE(zb::test::run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST(*result == net::error::operation_aborted);
    ctx.restart();
    ctx.run_for(3s);
    BOOST_TEST(ctx.stopped());
    // Nothing was lost: a frame written now is the next read's.
    writer.command('w');
    result.reset();
    r.async_read_frame([&](error_code ec, zb::frame) { result = ec; });
    BOOST_TEST_REQUIRE(zb::test::run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST(!*result);
}

namespace {

/// A reader of `name` in a forked process that never reads; killed by `kill()`.
class reader_process {
public:
    explicit reader_process(const std::string& name)
    {
        BOOST_TEST_REQUIRE(::pipe(ready_) == 0);
        pid_ = zb::test::fork_child([&] {
            zb::buffer_config c;
            c.payload_size = 4096;
            zb::reader r(name, c);
            char c1 = 1;
            if (::write(ready_[1], &c1, 1) != 1)
                return 3;
            for (;;)
                ::pause();
            return 0;
        });
        char c = 0;
        BOOST_TEST_REQUIRE(::read(ready_[0], &c, 1) == 1, "the reader created the buffer");
    }
    reader_process(const reader_process&) = delete;
    reader_process& operator=(const reader_process&) = delete;
    ~reader_process()
    {
        kill();
        ::close(ready_[0]);
        ::close(ready_[1]);
    }
    void kill()
    {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            zb::test::exit_code(pid_);
            pid_ = -1;
        }
    }

private:
    int ready_[2] = {-1, -1};
    pid_t pid_ = -1;
};

} // namespace

// 2.2 / 10.5: a write blocked on a full ring whose reader is alive and never
// reads sleeps on its watch of the reader's lock file, and sees the reader
// killed as reader_dead at once.
BOOST_AUTO_TEST_CASE(conformance_10_5_an_idle_write_sees_a_killed_reader_at_once)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-idle-write");
    reader_process reader(name);
    zb::writer_options o;
    o.wait = zb::wait_strategy::blocking();
    zb::asio::writer w(ctx, name, o);
    const std::vector<std::byte> chunk(1000, std::byte{4});
    while (w.get().try_write_frame(chunk)) {
    }
    std::optional<error_code> result;
    w.async_write_frame(chunk, [&](error_code ec) { result = ec; });
    const std::size_t handlers = handlers_run_during(ctx, 1500ms);
    BOOST_TEST_MESSAGE(zb::asio::to_string(w.backend())
                       << ": " << handlers << " handlers while the write waited");
    if (w.backend() == zb::asio::wait_backend::io_uring)
        BOOST_TEST(handlers <= 8U, handlers << " handlers ran while the write waited");
    BOOST_TEST_REQUIRE(!result.has_value());

    const auto killed = clock_type::now();
    reader.kill();
    BOOST_TEST_REQUIRE(zb::test::run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST(*result == zb::errc::reader_dead, result->message());
    BOOST_TEST((clock_type::now() - killed < 2500ms), "seen by the watch, not a 5 s slice");
    w.close(); // a dead reader's buffer is kept while a writer is attached
    zb::cleanup_stale_resources(name);
}
