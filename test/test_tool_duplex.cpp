// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// The duplex commands of the `zerobuffer` tool, driven as separate processes:
// `serve` and `request` against each other and against the library's own
// endpoints in this process, and how `list` and `inspect` show a channel.
// CONFORMANCE 9.1, 9.2, 9.8, 9.9, 9.10 and 9.12 across processes.

#define BOOST_TEST_MODULE tool_duplex
#include <boost/test/unit_test.hpp>

#include <boost/json/src.hpp>

#include "support/child_process.hpp"
#include "support/duplex.hpp"
#include "support/naming.hpp"
#include "support/tool_runner.hpp"

#include <zerobuffer/duplex.hpp>
#include <zerobuffer/testing/test_data_patterns.hpp>
#include <zerobuffer/zerobuffer.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

using namespace std::chrono_literals;
using zerobuffer::test::channel_resources;
using zerobuffer::test::unique_name;
using zerobuffer::test_support::child_process;
using zerobuffer::test_support::expect_exit;
using zerobuffer::test_support::expect_line;
using zerobuffer::test_support::run_tool;
using zerobuffer::test_support::start_tool;
using zerobuffer::test_support::tool_result;
namespace duplex = zerobuffer::duplex;
namespace json = boost::json;

namespace {

json::object parse_line(const std::string& line)
{
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) {
        throw std::runtime_error("not a JSON object: '" + line + "'");
    }
    return v.as_object();
}

/// The JSON object on the last non-empty line of `out`.
json::object last_object(const std::string& out)
{
    const std::size_t end = out.find_last_not_of("\r\n");
    if (end == std::string::npos) {
        throw std::runtime_error("no output");
    }
    const std::size_t nl = out.rfind('\n', end);
    const std::size_t start = nl == std::string::npos ? 0 : nl + 1;
    return parse_line(out.substr(start, end + 1 - start));
}

std::int64_t integer(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    if (v == nullptr) {
        throw std::runtime_error("no key '" + std::string(key) + "' in " + json::serialize(o));
    }
    return v->to_number<std::int64_t>();
}

double number(const json::object& o, std::string_view key)
{
    return o.at(key).to_number<double>();
}

std::string text(const json::object& o, std::string_view key)
{
    return std::string(o.at(key).as_string());
}

/// A 1 MiB ring unless the test chose one: a test's channels stay small.
void with_small_ring(std::vector<std::string>& args)
{
    if (std::find(args.begin(), args.end(), "--ring") == args.end()) {
        args.insert(args.end(), {"--ring", "1M"});
    }
}

/// A `zerobuffer serve` in the background, with --json: started, waited for
/// until ready, and stopped by a signal when the test is done with it.
class served {
public:
    served(const std::string& name, std::vector<std::string> options)
    {
        std::vector<std::string> args{"serve", name, "--json"};
        args.insert(args.end(), options.begin(), options.end());
        with_small_ring(args);
        child_ = start_tool(args);
        ready_ = parse_line(expect_line(*child_, "{\"event\":\"ready\""));
    }

    const json::object& ready() const noexcept { return ready_; }
    pid_t pid() const noexcept { return child_->pid(); }
    child_process& child() noexcept { return *child_; }

    /// Sends `sig`, expects exit code 0 and returns the counters it printed.
    json::object stop(int sig = SIGTERM)
    {
        child_->send_signal(sig);
        const auto status = expect_exit(*child_);
        BOOST_TEST_INFO("serve: " << child_->describe());
        BOOST_TEST(status.success());
        BOOST_REQUIRE(!child_->transcript().empty());
        const json::object o = parse_line(child_->transcript().back());
        BOOST_TEST(text(o, "event") == "stopped");
        return o;
    }

private:
    std::unique_ptr<child_process> child_;
    json::object ready_;
};

/// `zerobuffer request NAME --json args...`, its summary parsed.
json::object request(const std::string& name, std::vector<std::string> args, int expect_code = 0)
{
    std::vector<std::string> all{"request", name, "--json", "--timeout", "30"};
    all.insert(all.end(), args.begin(), args.end());
    with_small_ring(all);
    const tool_result r = run_tool(all);
    BOOST_TEST_INFO(r.describe());
    BOOST_TEST(r.code() == expect_code);
    return last_object(r.out);
}

/// A --verify run answered in full: every response echoes its request.
void expect_verified(const json::object& r, std::int64_t count)
{
    BOOST_TEST_INFO(json::serialize(r));
    BOOST_TEST(r.at("ok").as_bool());
    BOOST_TEST(text(r, "end") == "count");
    BOOST_TEST(integer(r, "sent") == count);
    BOOST_TEST(integer(r, "responses") == count);
    BOOST_TEST(integer(r, "error_responses") == 0);
    BOOST_TEST(integer(r, "mismatches") == 0);
    BOOST_TEST(r.at("problems").as_array().empty());
    BOOST_TEST(r.at("error").is_null());
}

/// The latency figures: as many as responses, in rising order.
void expect_latency_shape(const json::object& r)
{
    const auto& l = r.at("latency_us").as_object();
    BOOST_TEST(integer(l, "samples") == integer(r, "responses"));
    BOOST_TEST(number(l, "min") > 0.0);
    BOOST_TEST(number(l, "min") <= number(l, "p50"));
    BOOST_TEST(number(l, "p50") <= number(l, "p90"));
    BOOST_TEST(number(l, "p90") <= number(l, "p99"));
    BOOST_TEST(number(l, "p99") <= number(l, "max"));
    BOOST_TEST(number(r, "requests_per_s") > 0.0);
    BOOST_TEST(number(r, "seconds") > 0.0);
}

/// The counters of a server that answered `handled` requests, all well.
void expect_counters(const json::object& stopped, std::int64_t handled, std::int64_t clients)
{
    BOOST_TEST_INFO(json::serialize(stopped));
    BOOST_TEST(integer(stopped, "requests_handled") == handled);
    BOOST_TEST(integer(stopped, "handler_errors") == 0);
    BOOST_TEST(integer(stopped, "clients_served") == clients);
    BOOST_TEST(integer(stopped, "requests_dropped") == 0);
    BOOST_TEST(text(stopped, "end") == "signal");
}

void expect_nothing_left(const std::string& channel)
{
    const auto left = channel_resources(channel);
    BOOST_TEST(left.empty(), "left behind: " << (left.empty() ? "" : left.front()));
}

std::string as_text(std::span<const std::byte> bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

} // namespace

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
