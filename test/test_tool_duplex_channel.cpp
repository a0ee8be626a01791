// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// A duplex channel as the `zerobuffer` tool shows and ends it: `list` and
// `inspect` show its two buffers as one channel; SIGTERM and --for stop
// `serve` with exit code 0 and nothing of the channel left. CONFORMANCE 9.9.

#define BOOST_TEST_MODULE tool_duplex_channel
#include <boost/test/unit_test.hpp>

#include <boost/json/src.hpp>

#include "support/naming.hpp"
#include "support/tool_duplex.hpp"

#include <zerobuffer/duplex.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <chrono>
#include <csignal>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

using namespace std::chrono_literals;
using namespace zerobuffer::test_support::tool_duplex;
using zerobuffer::test::unique_name;
using zerobuffer::test_support::run_tool;
using zerobuffer::test_support::tool_result;
namespace duplex = zerobuffer::duplex;

BOOST_AUTO_TEST_SUITE(tool_duplex_channel)

// `list` and `inspect` show a channel's two buffers as one: waiting for a
// client, then connected to one (this process's client).
BOOST_AUTO_TEST_CASE(list_and_inspect_show_a_channel)
{
    const std::string name = unique_name("tdx_view");
    served server(name, {"--echo"});
    const auto server_pid = static_cast<std::int64_t>(server.pid());

    // Only the server: the channel waits.
    {
        const tool_result l = run_tool({"list", name, "--json"});
        BOOST_TEST_INFO(l.describe());
        BOOST_REQUIRE_EQUAL(l.code(), 0);
        const auto o = last_object(l.out);
        const auto& buffers = o.at("buffers").as_array();
        BOOST_REQUIRE_EQUAL(buffers.size(), 1u);
        BOOST_TEST(text(buffers[0].as_object(), "name") == name + "_request");
        BOOST_TEST(text(buffers[0].as_object(), "channel") == name);
        const auto& channels = o.at("channels").as_array();
        BOOST_REQUIRE_EQUAL(channels.size(), 1u);
        const auto& c = channels[0].as_object();
        BOOST_TEST(text(c, "state") == "waiting");
        BOOST_TEST(integer(c, "server_pid") == server_pid);
        BOOST_TEST(c.at("response").is_null());

        const tool_result i = run_tool({"inspect", name, "--json"});
        BOOST_TEST_INFO(i.describe());
        BOOST_REQUIRE_EQUAL(i.code(), 0);
        const auto j = last_object(i.out);
        BOOST_TEST(text(j, "channel") == name);
        BOOST_TEST(text(j, "state") == "waiting");
        BOOST_TEST(text(j.at("request").as_object(), "name") == name + "_request");
        BOOST_TEST(j.at("response").is_null());
    }

    // A client (this process) attached: connected.
    {
        duplex::client client(name, zerobuffer::test::small_client());
        zerobuffer::frame f = client.request(std::string("ping"), 30s);
        BOOST_REQUIRE(f.valid());
        f.release();
        const auto pid = static_cast<std::int64_t>(::getpid());

        const auto o = last_object(run_tool({"list", name, "--json"}).out);
        std::map<std::string, json::object> by_name;
        for (const auto& b : o.at("buffers").as_array()) {
            by_name[text(b.as_object(), "name")] = b.as_object();
        }
        BOOST_REQUIRE_EQUAL(by_name.size(), 2u);
        BOOST_TEST(integer(by_name.at(name + "_request"), "writer_pid") == pid);
        BOOST_TEST(integer(by_name.at(name + "_response"), "reader_pid") == pid);
        BOOST_TEST(text(by_name.at(name + "_response"), "channel") == name);
        const auto& c = o.at("channels").as_array().at(0).as_object();
        BOOST_TEST(text(c, "name") == name);
        BOOST_TEST(text(c, "state") == "connected");
        BOOST_TEST(text(c, "request") == name + "_request");
        BOOST_TEST(text(c, "response") == name + "_response");
        BOOST_TEST(integer(c, "server_pid") == server_pid);
        BOOST_TEST(c.at("server_alive").as_bool());
        BOOST_TEST(integer(c, "client_pid") == pid);
        BOOST_TEST(c.at("client_alive").as_bool());

        const tool_result table = run_tool({"list", name});
        BOOST_TEST_INFO(table.out);
        BOOST_TEST(table.code() == 0);
        BOOST_TEST(table.out.find("CHANNEL") != std::string::npos);
        const auto row = table.out.find("\n" + name + " ");
        BOOST_REQUIRE(row != std::string::npos);
        BOOST_TEST(table.out.find("connected", row) ==
                   table.out.find_first_not_of(' ', row + 1 + name.size()));

        const auto j = last_object(run_tool({"inspect", name, "--json"}).out);
        BOOST_TEST(text(j, "state") == "connected");
        BOOST_TEST(integer(j.at("request").as_object(), "payload_written_count") == 1);
        BOOST_TEST(integer(j.at("response").as_object(), "payload_read_count") == 1);
        BOOST_TEST(integer(j.at("response").as_object(), "writer_pid") == server_pid);

        const tool_result shown = run_tool({"inspect", name});
        BOOST_TEST_INFO(shown.out);
        BOOST_TEST(shown.code() == 0);
        BOOST_TEST(shown.out.starts_with("channel     " + name + ": connected"));
        BOOST_TEST(shown.out.find("buffer      " + name + "_request") != std::string::npos);
        BOOST_TEST(shown.out.find("buffer      " + name + "_response") != std::string::npos);
    }

    // A plain buffer's listing is as it was: no channel in it.
    const std::string plain = unique_name("tdx_plain");
    zerobuffer::reader keep(plain, {64, 4096});
    const auto p = last_object(run_tool({"list", plain, "--json"}).out);
    BOOST_TEST(!p.contains("channels"));
    BOOST_REQUIRE_EQUAL(p.at("buffers").as_array().size(), 1u);
    BOOST_TEST(!p.at("buffers").as_array()[0].as_object().contains("channel"));
    BOOST_TEST(run_tool({"list", plain}).out.find("CHANNEL") == std::string::npos);

    expect_counters(server.stop(), 1, 1);
    expect_nothing_left(name);
    const tool_result gone = run_tool({"inspect", name});
    BOOST_TEST(gone.code() == 1);
    BOOST_TEST(gone.err.find("no buffer named") != std::string::npos);
}

// CONFORMANCE 9.9: SIGTERM stops serve while a client is connected: exit 0,
// the client sees the server stop, and once it closes nothing of the channel
// is left (both segments, all four semaphores, both lock files).
BOOST_AUTO_TEST_CASE(sigterm_stops_serve_and_leaves_nothing)
{
    const std::string name = unique_name("tdx_term");
    served server(name, {"--echo", "--threads", "2"});
    auto client = std::make_unique<duplex::client>(name, zerobuffer::test::small_client());
    for (int i = 0; i < 5; ++i) {
        zerobuffer::frame f =
            client->request(zerobuffer::testing::test_data_patterns::frame_data(64, 1), 30s);
        BOOST_REQUIRE(f.valid());
    }
    const auto stopped = server.stop(SIGTERM);
    expect_counters(stopped, 5, 1);
    boost::system::error_code ec;
    zerobuffer::frame late = client->receive_response(5s, ec);
    BOOST_TEST(!late.valid());
    BOOST_TEST((ec == zerobuffer::errc::server_stopped || ec == zerobuffer::errc::server_dead),
               ec.message());
    client.reset();
    expect_nothing_left(name);
}

BOOST_AUTO_TEST_CASE(serve_for_seconds_ends_by_itself)
{
    const std::string name = unique_name("tdx_for");
    const tool_result r = run_tool({"serve", name, "--echo", "--for", "0.3", "--ring", "64K"});
    BOOST_TEST_INFO(r.describe());
    BOOST_TEST(r.code() == 0);
    BOOST_TEST(r.out.starts_with("serving " + name + " (echo, single thread"));
    BOOST_TEST(r.out.find("ended: for") != std::string::npos);
    BOOST_TEST(r.out.find("0 requests handled, 0 handler errors, 0 clients served, 0 dropped") !=
               std::string::npos);
    expect_nothing_left(name);
}

BOOST_AUTO_TEST_SUITE_END()
