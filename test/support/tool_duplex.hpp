// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TEST_SUPPORT_TOOL_DUPLEX_HPP
#define ZEROBUFFER_TEST_SUPPORT_TOOL_DUPLEX_HPP

// Helpers of the test_tool_duplex* suites: a `zerobuffer serve` in the
// background, `zerobuffer request` runs, and the JSON they print. The suite
// includes <boost/json/src.hpp> once; this header only the declarations.

#include "support/child_process.hpp"
#include "support/duplex.hpp"
#include "support/tool_runner.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace zerobuffer::test_support::tool_duplex {

namespace json = boost::json;

/// The JSON object one line holds; throws (failing the test) for anything else.
inline json::object parse_line(const std::string& line)
{
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) {
        throw std::runtime_error("not a JSON object: '" + line + "'");
    }
    return v.as_object();
}

/// The JSON object on the last non-empty line of `out`.
inline json::object last_object(const std::string& out)
{
    const std::size_t end = out.find_last_not_of("\r\n");
    if (end == std::string::npos) {
        throw std::runtime_error("no output");
    }
    const std::size_t nl = out.rfind('\n', end);
    const std::size_t start = nl == std::string::npos ? 0 : nl + 1;
    return parse_line(out.substr(start, end + 1 - start));
}

inline std::int64_t integer(const json::object& o, std::string_view key)
{
    const json::value* v = o.if_contains(key);
    if (v == nullptr) {
        throw std::runtime_error("no key '" + std::string(key) + "' in " + json::serialize(o));
    }
    return v->to_number<std::int64_t>();
}

inline double number(const json::object& o, std::string_view key)
{
    return o.at(key).to_number<double>();
}

inline std::string text(const json::object& o, std::string_view key)
{
    return std::string(o.at(key).as_string());
}

/// A 1 MiB ring unless the test chose one: a test's channels stay small.
inline void with_small_ring(std::vector<std::string>& args)
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
inline json::object request(const std::string& name, std::vector<std::string> args,
                            int expect_code = 0)
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
inline void expect_verified(const json::object& r, std::int64_t count)
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
inline void expect_latency_shape(const json::object& r)
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
inline void expect_counters(const json::object& stopped, std::int64_t handled, std::int64_t clients)
{
    BOOST_TEST_INFO(json::serialize(stopped));
    BOOST_TEST(integer(stopped, "requests_handled") == handled);
    BOOST_TEST(integer(stopped, "handler_errors") == 0);
    BOOST_TEST(integer(stopped, "clients_served") == clients);
    BOOST_TEST(integer(stopped, "requests_dropped") == 0);
    BOOST_TEST(integer(stopped, "request_buffers_renewed") == 0);
    BOOST_TEST(text(stopped, "end") == "signal");
}

inline void expect_nothing_left(const std::string& channel)
{
    const auto left = zerobuffer::test::channel_resources(channel);
    BOOST_TEST(left.empty(), "left behind: " << (left.empty() ? "" : left.front()));
}

inline std::string as_text(std::span<const std::byte> bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

} // namespace zerobuffer::test_support::tool_duplex

#endif // ZEROBUFFER_TEST_SUPPORT_TOOL_DUPLEX_HPP
