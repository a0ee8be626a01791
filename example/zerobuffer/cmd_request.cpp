// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer request NAME: a duplex client on the channel NAME sending
// --count requests of --size bytes, up to --pipeline outstanding; reports the
// round trips' latency and the rate, and with --verify checks every response.

#include "commands.hpp"
#include "duplex_options.hpp"
#include "json_print.hpp"
#include "latency_summary.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "request_run.hpp"
#include "stop_signal.hpp"

#include <zerobuffer/duplex/client.hpp>
#include <zerobuffer/error.hpp>

#include <cstdio>
#include <iostream>
#include <stdexcept>

namespace zerobuffer::tool {

namespace {

const command_help request_help{
    "request", "NAME [options]",
    "Connects to the duplex channel NAME that 'zerobuffer serve NAME' (or any duplex\n"
    "server) serves, sends --count requests of --size bytes, at most --pipeline\n"
    "outstanding, and reports the latency of each round trip (from the request's\n"
    "commit to its response: min, p50, p90, p99, max in microseconds) and the\n"
    "requests per second. Requests carry the test pattern of their sequence number;\n"
    "--verify checks that each response echoes its request and carries its sequence\n"
    "(so it needs an echoing server: serve --echo or --sleep). Exit code 0 when every\n"
    "request was answered (and verified), 1 on a mismatch, an error response\n"
    "(the server's handler failed), a timeout or a lost server.",
    "  zerobuffer request demo --count 10000 --size 4K\n"
    "  zerobuffer request demo --count 100000 --size 64 --pipeline 32 --verify\n"
    "  zerobuffer request demo --count 1000 --size 1M --ring 64M --json"};

struct request_settings {
    std::string name;
    request_plan plan;
    duplex_settings duplex;
    std::chrono::nanoseconds wait_for_server{0};
    bool json = false;
};

request_settings parse_settings(const po::variables_map& vm)
{
    request_settings s;
    s.name = required_name(vm);
    s.plan.count = parse_count("--count", vm["count"].as<std::string>());
    if (s.plan.count == 0) {
        throw usage_error("--count must be at least 1");
    }
    const std::uint64_t size = parse_size("--size", vm["size"].as<std::string>());
    if (size == 0) {
        throw usage_error("--size must be at least 1 byte");
    }
    s.plan.size = static_cast<std::size_t>(size);
    const std::uint64_t k = parse_count("--pipeline", vm["pipeline"].as<std::string>());
    if (k == 0 || k > 1'000'000) {
        throw usage_error("--pipeline: from 1 to 1000000 outstanding requests");
    }
    s.plan.pipeline = static_cast<std::size_t>(k);
    s.plan.verify = vm.count("verify") != 0;
    s.plan.timeout = parse_seconds("--timeout", vm["timeout"].as<std::string>());
    if (s.plan.timeout < std::chrono::milliseconds(1)) {
        throw usage_error("--timeout must be at least 1 ms");
    }
    if (const auto w = string_option(vm, "wait-for-server")) {
        s.wait_for_server = parse_seconds("--wait-for-server", *w);
    }
    s.duplex = parse_duplex_settings(vm);
    s.json = vm.count("json") != 0;
    return s;
}

duplex::client connect(const request_settings& s)
{
    duplex::client_options o;
    o.response.payload_size = s.duplex.ring_size;
    o.response.wait = s.duplex.wait.wait;
    o.request.wait = s.duplex.wait.wait;
    o.request.connect_timeout = s.wait_for_server;
    // A short wait for room: while requests are outstanding and the request
    // ring is full, the run takes a response instead of waiting (the server
    // may itself wait for room in the response ring, which only we free).
    // The client has no try_ form of get_request_buffer, so this is the
    // nearest: 1 ms lost at most per full ring. --timeout is kept by the run.
    o.request.write_timeout = std::chrono::milliseconds(1);
    try {
        return duplex::client(s.name, o);
    } catch (const no_reader&) {
        throw std::runtime_error("no server serves the channel '" + s.name +
                                 "': start 'zerobuffer serve " + s.name +
                                 " --echo' first, or pass --wait-for-server SECONDS");
    } catch (const reader_already_exists&) {
        throw std::runtime_error("the channel '" + s.name + "' already has a client (" +
                                 duplex::response_buffer_name(s.name) + " is live)");
    } catch (const writer_already_connected&) {
        throw std::runtime_error("the channel '" + s.name + "' already has a client attached");
    }
}

double per_second(const request_outcome& r)
{
    return r.seconds > 0 ? static_cast<double>(r.responses) / r.seconds : 0.0;
}

void print_json(const request_settings& s, const request_outcome& r, const latency_summary& l)
{
    boost::json::array problems;
    for (const auto& p : r.problems) {
        problems.emplace_back(p);
    }
    const boost::json::object o{
        {"command", "request"},
        {"name", s.name},
        {"count", s.plan.count},
        {"size", s.plan.size},
        {"pipeline", s.plan.pipeline},
        {"wait", s.duplex.wait.name},
        {"ring_size", s.duplex.ring_size},
        {"sent", r.sent},
        {"responses", r.responses},
        {"error_responses", r.error_responses},
        {"verify", s.plan.verify},
        {"mismatches", s.plan.verify ? boost::json::value(r.mismatches) : boost::json::value()},
        {"problems", std::move(problems)},
        {"seconds", r.seconds},
        {"requests_per_s", per_second(r)},
        {"latency_us", l.to_json()},
        {"ok", r.ok()},
        {"end", to_string(r.end)},
        {"error", text_or_null(r.error)}};
    write_json(std::cout, o);
    std::cout << std::endl;
}

void print_text(const request_settings& s, const request_outcome& r, const latency_summary& l)
{
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.0f", per_second(r));
    char took[32];
    std::snprintf(took, sizeof took, "%.3f", r.seconds);
    std::cout << "request " << s.name << ": " << format_count(r.responses) << " of "
              << format_count(s.plan.count) << " requests of "
              << format_bytes(static_cast<double>(s.plan.size)) << ", pipeline " << s.plan.pipeline
              << ", in " << took << " s (" << rate << " requests/s); ended: " << to_string(r.end)
              << '\n'
              << "  latency  " << l.describe() << '\n';
    if (r.error_responses != 0) {
        std::cout << "  error responses: " << format_count(r.error_responses) << '\n';
    }
    if (s.plan.verify && r.responses != 0) {
        std::cout << "  verify: "
                  << (r.mismatches == 0 ? "every response echoes its request"
                                        : format_count(r.mismatches) + " mismatches")
                  << '\n';
    }
    std::cout << std::flush;
}

} // namespace

int run_request(const arguments& args)
{
    po::options_description opts("options");
    {
        auto add = opts.add_options();
        add("count,n", po::value<std::string>()->value_name("N")->default_value("1000"),
            "requests to send");
        add("size,s", po::value<std::string>()->value_name("SIZE")->default_value("1024"),
            "bytes of each request");
        add("pipeline,k", po::value<std::string>()->value_name("K")->default_value("1"),
            "at most K requests outstanding (1: one round trip at a time)");
        add("verify", "check that each response echoes its request and carries its sequence");
        add("timeout,t", po::value<std::string>()->value_name("SECONDS")->default_value("5"),
            "fail when no response (or no room for a request) comes for this long");
        add("wait-for-server", po::value<std::string>()->value_name("SECONDS"),
            "wait this long for the server's request buffer (default: fail at once)");
        add("json", "print a JSON summary on stdout");
    }
    add_duplex_options(opts);
    po::options_description hidden;
    {
        auto add = hidden.add_options();
        add("name", po::value<std::string>());
    }
    po::positional_options_description pos;
    pos.add("name", 1);

    const auto vm = parse_command(request_help, opts, hidden, pos, args);
    if (!vm) {
        return exit_ok;
    }
    const request_settings s = parse_settings(*vm);

    install_stop_handlers();
    duplex::client client = connect(s);
    const request_outcome r = run_requests(client, s.plan);
    client.close(); // detaches and removes the response buffer before the report
    const latency_summary l = latency_summary::of(r.latencies);
    if (s.json) {
        print_json(s, r, l);
    } else {
        print_text(s, r, l);
    }
    for (const auto& p : r.problems) {
        std::cerr << "zerobuffer request: " << p << '\n';
    }
    if (!r.error.empty()) {
        std::cerr << "zerobuffer request: error: " << r.error << '\n';
    }
    if (r.end == request_end::interrupted) {
        return exit_interrupted;
    }
    return r.ok() ? exit_ok : exit_failure;
}

} // namespace zerobuffer::tool
