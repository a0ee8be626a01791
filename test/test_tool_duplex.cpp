// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The duplex commands of the `zerobuffer` tool, driven as separate processes:
// `serve` and `request` against each other and against the library's own
// endpoints in this process. CONFORMANCE 9.1, 9.2, 9.6, 9.8, 9.10 and 9.12
// across processes. test_tool_duplex_channel: the channel as list and
// inspect show it, and how serve stops.

#define BOOST_TEST_MODULE tool_duplex
#include <boost/test/unit_test.hpp>

#include <boost/json/src.hpp>

#include "support/naming.hpp"
#include "support/tool_duplex.hpp"

#include <zerobuffer/duplex.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <chrono>
#include <csignal>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using namespace zerobuffer::test_support::tool_duplex;
using zerobuffer::test::unique_name;
using zerobuffer::test_support::run_tool;
using zerobuffer::test_support::tool_result;
namespace duplex = zerobuffer::duplex;

BOOST_AUTO_TEST_SUITE(tool_duplex)

// CONFORMANCE 9.1, 9.2, 9.10: pipelined requests across processes, each
// response its request's echo with its sequence; the server's counters and
// the JSON shapes of both commands.
BOOST_AUTO_TEST_CASE(serve_and_request_verify_across_processes)
{
    const std::string name = unique_name("tdx_echo");
    served server(name, {"--echo"});
    const auto& ready = server.ready();
    BOOST_TEST(text(ready, "command") == "serve");
    BOOST_TEST(text(ready, "name") == name);
    BOOST_TEST(text(ready, "request_buffer") == name + "_request");
    BOOST_TEST(text(ready, "response_buffer") == name + "_response");
    BOOST_TEST(text(ready, "handler") == "echo");
    BOOST_TEST(text(ready, "processing") == "single_thread");
    BOOST_TEST(!ready.at("in_place").as_bool());
    BOOST_TEST(integer(ready, "ring_size") == 1 << 20);
    BOOST_TEST(integer(ready, "pid") == server.pid());

    const auto one =
        request(name, {"--count", "500", "--size", "3000", "--pipeline", "16", "--verify"});
    expect_verified(one, 500);
    expect_latency_shape(one);
    BOOST_TEST(text(one, "command") == "request");
    BOOST_TEST(integer(one, "size") == 3000);
    BOOST_TEST(integer(one, "pipeline") == 16);
    BOOST_TEST(text(one, "wait") == "spin_then_block");

    // A second client of the same server run, one round trip at a time,
    // waiting in another way; then the text report.
    expect_verified(
        request(name, {"--count", "200", "--size", "1", "--verify", "--wait", "blocking"}), 200);
    const tool_result plain = run_tool({"request", name, "--count", "10", "--verify"});
    BOOST_TEST_INFO(plain.describe());
    BOOST_TEST(plain.code() == 0);
    BOOST_TEST(plain.out.find("10 of 10 requests") != std::string::npos);
    BOOST_TEST(plain.out.find("p99") != std::string::npos);
    BOOST_TEST(plain.out.find("every response echoes its request") != std::string::npos);

    expect_counters(server.stop(), 710, 3);
    expect_nothing_left(name);
}

// CONFORMANCE 9.2, 9.8, 9.12: a pool and in-place handlers across processes,
// the responses still in request order.
BOOST_AUTO_TEST_CASE(thread_pool_and_in_place_handlers_answer_in_order)
{
    const std::vector<std::vector<std::string>> variants = {
        {"--echo", "--threads", "4"},
        {"--echo", "--in-place"},
        {"--echo", "--threads", "3", "--in-place", "--wait", "blocking"},
        {"--sleep", "1", "--threads", "4", "--in-place"},
    };
    for (const auto& options : variants) {
        std::string label;
        for (const auto& o : options) {
            label += " " + o;
        }
        BOOST_TEST_CONTEXT("serve" << label)
        {
            const std::string name = unique_name("tdx_pool");
            served server(name, options);
            BOOST_TEST(server.ready().at("in_place").as_bool() ==
                       (label.find("--in-place") != std::string::npos));
            const auto r =
                request(name, {"--count", "300", "--size", "777", "--pipeline", "32", "--verify"});
            expect_verified(r, 300);
            expect_counters(server.stop(SIGINT), 300, 1);
            expect_nothing_left(name);
        }
    }
}

// --upper and --in-place answered to the library's own client in this
// process: `serve` works for any duplex client.
BOOST_AUTO_TEST_CASE(upper_answers_the_library_client)
{
    for (const bool in_place : {false, true}) {
        const std::string name = unique_name("tdx_upper");
        std::vector<std::string> options{"--upper", "--threads", "2"};
        if (in_place) {
            options.push_back("--in-place");
        }
        served server(name, options);
        {
            duplex::client client(name, zerobuffer::test::small_client());
            for (const std::string word : {"hello", "Zero-Copy 42", "\xc3\xa9t\xc3\xa9"}) {
                client.send_request(word);
            }
            for (const std::string want : {"HELLO", "ZERO-COPY 42", "\xc3\xa9T\xc3\xa9"}) {
                zerobuffer::frame f = client.receive_response(30s);
                BOOST_REQUIRE(f.valid());
                BOOST_TEST(as_text(f.bytes()) == want);
            }
        }
        expect_counters(server.stop(), 3, 1);
        expect_nothing_left(name);
    }
}

// CONFORMANCE 9.6: more requests outstanding than both rings hold: the
// request ring fills, the server waits for room in the response ring, and the
// client takes responses while it cannot send; nothing is lost, nothing stalls.
BOOST_AUTO_TEST_CASE(pipeline_deeper_than_the_rings)
{
    const std::string name = unique_name("tdx_deep");
    served server(name, {"--echo", "--ring", "64K"});
    const auto start = std::chrono::steady_clock::now();
    const auto r = request(name, {"--count", "2000", "--size", "4K", "--pipeline", "100",
                                  "--verify", "--ring", "64K"});
    expect_verified(r, 2000);
    // A client that waits 100 ms for room at each full ring makes 10
    // requests/s here (200 s); one that takes responses instead needs well
    // under a second, and a minute covers a loaded machine.
    const auto took = std::chrono::steady_clock::now() - start;
    BOOST_TEST((took < 60s), "took " << std::chrono::duration<double>(took).count() << " s");
    expect_counters(server.stop(), 2000, 1);
}

// A slow handler on a pool: pipelined requests overlap their sleeps, and
// each round trip lasts at least the sleep.
BOOST_AUTO_TEST_CASE(sleep_with_pipeline)
{
    const std::string name = unique_name("tdx_sleep");
    served server(name, {"--sleep", "20", "--threads", "4"});
    BOOST_TEST(text(server.ready(), "handler") == "sleep");
    BOOST_TEST(integer(server.ready(), "sleep_ms") == 20);
    BOOST_TEST(integer(server.ready(), "threads") == 4);
    const auto r = request(name, {"--count", "40", "--size", "512", "--pipeline", "8", "--verify"});
    expect_verified(r, 40);
    expect_latency_shape(r);
    BOOST_TEST(number(r.at("latency_us").as_object(), "min") >= 20'000.0);
    // One at a time the 40 sleeps take 0.8 s; four at once about 0.2 s. Only
    // the bound that load cannot break is checked: the sleeps did happen.
    BOOST_TEST(number(r, "seconds") >= 0.2);
    expect_counters(server.stop(), 40, 1);
}

// An in-process server whose handler fails for every third request: the
// error responses are counted apart from mismatches, and the run fails.
// CONFORMANCE 9.8 seen from the tool's client.
BOOST_AUTO_TEST_CASE(error_responses_are_counted_apart)
{
    const std::string name = unique_name("tdx_fail");
    duplex::server server(name, zerobuffer::test::small_server());
    server.start([](const duplex::request& req) {
        if (req.sequence() % 3 == 0) {
            throw std::runtime_error("every third fails");
        }
        return zerobuffer::test::echo(req);
    });
    const auto r =
        request(name, {"--count", "30", "--size", "100", "--pipeline", "4", "--verify"}, 1);
    BOOST_TEST_INFO(json::serialize(r));
    BOOST_TEST(!r.at("ok").as_bool());
    BOOST_TEST(text(r, "end") == "count");
    BOOST_TEST(integer(r, "responses") == 30);
    BOOST_TEST(integer(r, "error_responses") == 10);
    BOOST_TEST(integer(r, "mismatches") == 0);
    const auto& problems = r.at("problems").as_array();
    BOOST_REQUIRE(!problems.empty());
    BOOST_TEST(std::string(problems[0].as_string()).find("every third fails") != std::string::npos);
    server.stop();
    BOOST_TEST(server.counters().handler_errors == 10u);
}

BOOST_AUTO_TEST_CASE(request_without_server_fails_cleanly)
{
    const std::string name = unique_name("tdx_none");
    const tool_result r = run_tool({"request", name, "--count", "5", "--json"});
    BOOST_TEST_INFO(r.describe());
    BOOST_TEST(r.code() == 1);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(r.err.find("no server serves the channel '" + name + "'") != std::string::npos);
    expect_nothing_left(name);

    // Waiting for a server that never comes fails the same way, later.
    const tool_result w = run_tool({"request", name, "--wait-for-server", "0.3"});
    BOOST_TEST_INFO(w.describe());
    BOOST_TEST(w.code() == 1);
    BOOST_TEST(w.err.find("no server") != std::string::npos);
    expect_nothing_left(name);

    // A second server of one channel is refused; the first goes on.
    served first(name, {"--echo"});
    const tool_result second = run_tool({"serve", name, "--echo"});
    BOOST_TEST_INFO(second.describe());
    BOOST_TEST(second.code() == 1);
    BOOST_TEST(second.err.find("already has a server") != std::string::npos);
    expect_verified(request(name, {"--count", "3", "--verify"}), 3);
    expect_counters(first.stop(), 3, 1);
    expect_nothing_left(name);
}

BOOST_AUTO_TEST_CASE(bad_arguments_say_what_is_wrong)
{
    struct bad_case {
        std::vector<std::string> args;
        std::string message;
    };
    const std::string absent = unique_name("tdx_absent");
    const std::vector<bad_case> cases = {
        {{"serve"}, "missing buffer NAME"},
        {{"serve", absent}, "exactly one of --echo, --upper and --sleep"},
        {{"serve", absent, "--echo", "--upper"}, "exactly one of"},
        {{"serve", absent, "--sleep", "x"}, "--sleep"},
        {{"serve", absent, "--echo", "--threads", "0"}, "--threads"},
        {{"serve", absent, "--echo", "--wait", "lazy"}, "--wait"},
        {{"serve", absent, "--echo", "--ring", "0"}, "--ring"},
        {{"serve", absent, "--echo", "--for", "0"}, "--for"},
        {{"request"}, "missing buffer NAME"},
        {{"request", absent, "--count", "0"}, "--count"},
        {{"request", absent, "--size", "0"}, "--size"},
        {{"request", absent, "--pipeline", "0"}, "--pipeline"},
        {{"request", absent, "--timeout", "0"}, "--timeout"},
        {{"request", absent, "--bogus"}, "--bogus"},
    };
    for (const auto& c : cases) {
        const tool_result r = run_tool(c.args, 60s);
        std::string cmd;
        for (const auto& a : c.args) {
            cmd += " " + a;
        }
        BOOST_TEST_CONTEXT("zerobuffer" << cmd << "\n" << r.describe())
        {
            BOOST_TEST(r.code() == 2);
            BOOST_TEST(r.err.find(c.message) != std::string::npos);
            BOOST_TEST(r.out.empty());
        }
    }
    expect_nothing_left(absent);
    for (const std::string cmd : {"serve", "request"}) {
        const tool_result r = run_tool({cmd, "--help"});
        BOOST_TEST_CONTEXT(cmd << ": " << r.describe())
        {
            BOOST_TEST(r.code() == 0);
            BOOST_TEST(r.out.starts_with("usage: zerobuffer " + cmd));
            BOOST_TEST(r.out.find("--wait") != std::string::npos);
            BOOST_TEST(r.out.find("--ring") != std::string::npos);
        }
    }
    const tool_result usage = run_tool({"--help"});
    BOOST_TEST(usage.out.find("serve") != std::string::npos);
    BOOST_TEST(usage.out.find("request") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
