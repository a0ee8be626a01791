// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.
//
// The Asio layer's spin-then-block (CONFORMANCE 10.2, 10.3): a read or a
// write that must spin does it in a handler posted to its I/O executor,
// never inside its initiating call; cancel() from another thread ends the
// spin; nothing is lost or half-written.

#define BOOST_TEST_MODULE asio_spin
#include <boost/test/unit_test.hpp>

#include "support/asio.hpp"
#include "support/naming.hpp"

#include <zerobuffer/asio.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace net = boost::asio;
namespace zb = zerobuffer;
using namespace std::chrono_literals;
using boost::system::error_code;
using zerobuffer::test::asio_config;
using zerobuffer::test::asio_writer_options;
using zerobuffer::test::bytes_of;
using zerobuffer::test::run_until;
using zerobuffer::test::text_of;

// 10.3 cancel() that comes before a write's posted spin has begun (the
// context is not running yet) still ends it, at the spin's first look for
// the interruption, instead of at room that never comes.
BOOST_AUTO_TEST_CASE(conformance_10_3_cancel_before_the_spin_ends_the_write)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-cancel-spin-write");
    zb::reader r(name, asio_config(zb::wait_strategy::blocking(), 4096));
    zb::asio::writer w(ctx, name, asio_writer_options(zb::wait_strategy::spin_then_block(300ms)));
    const std::vector<std::byte> chunk(1000, std::byte{7});
    const std::uint64_t fitted = zerobuffer::test::fill_ring(w.get(), chunk);
    std::optional<error_code> result;
    w.async_write_frame(chunk, [&](error_code ec) { result = ec; }); // returns at once
    std::thread canceller([&] { w.cancel(); });
    canceller.join();
    BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST((result && *result == net::error::operation_aborted));
    BOOST_TEST(w.get().frames_written() == fitted);
    for (std::uint64_t i = 0; i < fitted; ++i)
        BOOST_TEST(r.read_frame(1s).valid());
    BOOST_TEST(!r.try_read_frame().valid());
}

// 10.3 cancel() from another thread while a read spins (on the executor's
// thread) ends it, and the frame written afterwards is the next read's.
BOOST_AUTO_TEST_CASE(conformance_10_3_cancel_during_the_spin_ends_the_read)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-cancel-spin");
    zb::asio::reader r(ctx, name, asio_config(zb::wait_strategy::spin_then_block(300ms)));
    zb::writer w(name, asio_writer_options());
    std::optional<error_code> result;
    r.async_read_frame([&](error_code ec, zb::frame) { result = ec; });
    std::thread canceller([&] {
        std::this_thread::sleep_for(50ms); // run_until below spins meanwhile
        r.cancel();
    });
    BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
    canceller.join();
    BOOST_TEST((result && *result == net::error::operation_aborted));
    w.write_frame(bytes_of("kept"));
    std::optional<std::string> got;
    r.async_read_frame([&](error_code, zb::frame f) { got = text_of(f); });
    BOOST_TEST(run_until(ctx, [&] { return got.has_value(); }));
    BOOST_TEST((got && *got == "kept"));
}

// 10.2 A read that must spin does not spin inside its initiating call: with a
// spin budget of an hour, the call returns at once (the spin waits on the
// executor), a frame written after it is found by the spin, and the handler
// runs on the executor's thread, never inside the call. Before, the call spun
// for its budget: this case ran into its timeout.
BOOST_AUTO_TEST_CASE(conformance_10_2_a_spinning_read_spins_on_its_executor,
                     *boost::unit_test::timeout(60))
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-posted-spin");
    zb::asio::reader r(ctx, name,
                       asio_config(zb::wait_strategy::spin_then_block(std::chrono::hours(1))));
    zb::writer w(name, asio_writer_options());
    bool initiating = true;
    std::optional<std::string> got;
    std::thread::id ran_on;
    r.async_read_frame([&](error_code ec, zb::frame f) {
        BOOST_TEST(!initiating);
        BOOST_TEST(!ec);
        ran_on = std::this_thread::get_id();
        got = text_of(f);
    });
    initiating = false;
    BOOST_TEST(!got.has_value());
    w.write_frame(bytes_of("found by the spin"));
    std::optional<std::string> got_by_context;
    std::thread runner([&] {
        ctx.run();
        got_by_context = got;
    });
    runner.join();
    BOOST_TEST((got_by_context && *got_by_context == "found by the spin"));
    BOOST_TEST((ran_on != std::this_thread::get_id()));
    BOOST_TEST(r.get().frames_read() == 1u);
}

// 10.2 A write that must spin (the ring is full) does not spin inside its
// initiating call: with a spin budget of an hour the call returns at once,
// the room a read makes afterwards is found by the spin on the executor, and
// the handler runs there. Before, the call spun for its budget: this case
// ran into its timeout.
BOOST_AUTO_TEST_CASE(conformance_10_2_a_spinning_write_spins_on_its_executor,
                     *boost::unit_test::timeout(60))
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-posted-spin-write");
    zb::reader r(name, asio_config(zb::wait_strategy::blocking(), 4096));
    zb::asio::writer w(
        ctx, name, asio_writer_options(zb::wait_strategy::spin_then_block(std::chrono::hours(1))));
    const std::vector<std::byte> chunk(1000, std::byte{9});
    const std::uint64_t fitted = zerobuffer::test::fill_ring(w.get(), chunk);
    BOOST_TEST_REQUIRE(fitted > 0U);
    bool initiating = true;
    std::optional<error_code> result;
    std::thread::id ran_on;
    w.async_write_frame(chunk, [&](error_code ec) {
        BOOST_TEST(!initiating);
        ran_on = std::this_thread::get_id();
        result = ec;
    });
    initiating = false;
    BOOST_TEST(!result.has_value());
    BOOST_TEST(w.get().frames_written() == fitted); // nothing committed yet
    BOOST_TEST(r.read_frame(1s).valid());           // room for one
    std::optional<error_code> got_by_context;
    std::thread runner([&] {
        ctx.run();
        got_by_context = result;
    });
    runner.join();
    BOOST_TEST_REQUIRE(got_by_context.has_value());
    BOOST_TEST(!*got_by_context, got_by_context->message());
    BOOST_TEST((ran_on != std::this_thread::get_id()));
    BOOST_TEST(w.get().frames_written() == fitted + 1);
    for (std::uint64_t i = 0; i < fitted; ++i)
        BOOST_TEST(r.read_frame(1s).valid());
    BOOST_TEST(!r.try_read_frame().valid());
}

// 10.3 A write cancelled before its posted spin ran commits nothing, even
// where the reader made room meanwhile; one whose writer closed before it
// ran ends with operation_aborted.
BOOST_AUTO_TEST_CASE(conformance_10_3_a_write_cancelled_before_its_spin_commits_nothing)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-cancel-first-write");
    zb::reader r(name, asio_config(zb::wait_strategy::blocking(), 4096));
    zb::asio::writer w(ctx, name, asio_writer_options(zb::wait_strategy::spin_then_block(300ms)));
    const std::vector<std::byte> chunk(1000, std::byte{5});
    const std::uint64_t fitted = zerobuffer::test::fill_ring(w.get(), chunk);
    std::optional<error_code> result;
    w.async_write_frame(chunk, [&](error_code ec) { result = ec; });
    w.cancel();
    BOOST_TEST(r.read_frame(1s).valid()); // room, before the spin runs
    BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST((result && *result == net::error::operation_aborted));
    BOOST_TEST(w.get().frames_written() == fitted);

    // The writer closed before the spin ran: aborted as well.
    while (w.get().try_write_frame(chunk)) {
    }
    result.reset();
    w.async_write_frame(chunk, [&](error_code ec) { result = ec; });
    w.close();
    BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST((result && *result == net::error::operation_aborted), result->message());
}

// 10.3 A read cancelled before its posted spin ran takes no frame: the one
// written meanwhile is the next read's.
BOOST_AUTO_TEST_CASE(conformance_10_3_a_read_cancelled_before_its_spin_takes_nothing)
{
    net::io_context ctx;
    const auto name = zb::test::unique_name("asio-cancel-first-read");
    zb::asio::reader r(ctx, name, asio_config(zb::wait_strategy::spin_then_block(300ms)));
    zb::writer w(name, asio_writer_options());
    std::optional<error_code> result;
    r.async_read_frame([&](error_code ec, zb::frame) { result = ec; });
    r.cancel();
    w.write_frame(bytes_of("kept")); // before the spin runs
    BOOST_TEST(run_until(ctx, [&] { return result.has_value(); }));
    BOOST_TEST((result && *result == net::error::operation_aborted));
    std::optional<std::string> got;
    r.async_read_frame([&](error_code, zb::frame f) { got = text_of(f); });
    BOOST_TEST(run_until(ctx, [&] { return got.has_value(); }));
    BOOST_TEST((got && *got == "kept"));
}
