// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// zerobuffer serve NAME: a duplex server on the channel NAME (PROTOCOL.md
// section 8) answering with an echo, upper-case or an echo after a sleep,
// until SIGINT/SIGTERM or --for.

#include "commands.hpp"
#include "duplex_options.hpp"
#include "json_print.hpp"
#include "options.hpp"
#include "progress.hpp"
#include "serve_handlers.hpp"
#include "stop_signal.hpp"

#include <zerobuffer/duplex/channel.hpp>
#include <zerobuffer/duplex/server.hpp>
#include <zerobuffer/error.hpp>

#include <cstdio>
#include <iostream>
#include <stdexcept>

#include <unistd.h>

namespace zerobuffer::tool {

namespace {

const command_help serve_help{
    "serve", "NAME (--echo | --upper | --sleep MS) [options]",
    "Serves the duplex channel NAME: creates its request buffer NAME_request, answers\n"
    "each request of a client ('zerobuffer request NAME', or any duplex client) with one\n"
    "response, in request order, and serves one client after another until Ctrl-C,\n"
    "SIGTERM or --for. Handlers run one at a time on the receiving thread, or with\n"
    "--threads N on a pool of N. Prints a line when ready and the counters on exit.\n"
    "Removes the request buffer on exit. Exit code 0 when stopped by a signal or --for,\n"
    "1 on an error (e.g. another server serves NAME).",
    "  zerobuffer serve demo --echo\n"
    "  zerobuffer serve demo --upper --threads 4 --in-place\n"
    "  zerobuffer serve demo --sleep 10 --threads 8 --for 30 --json"};

struct serve_settings {
    std::string name;
    handler_choice handler;
    std::size_t threads = 0; ///< 0: single thread
    duplex_settings duplex;
    std::chrono::nanoseconds duration{0}; ///< 0: until a signal
    bool json = false;
};

serve_settings parse_settings(const po::variables_map& vm)
{
    serve_settings s;
    s.name = required_name(vm);
    const bool echo = vm.count("echo") != 0;
    const bool upper = vm.count("upper") != 0;
    const auto sleep = string_option(vm, "sleep");
    if (int{echo} + int{upper} + int{sleep.has_value()} != 1) {
        throw usage_error("give exactly one of --echo, --upper and --sleep MS");
    }
    if (upper) {
        s.handler.kind = serve_kind::upper;
    } else if (sleep) {
        s.handler.kind = serve_kind::sleep;
        const std::uint64_t ms = parse_count("--sleep", *sleep);
        if (ms > 3'600'000) {
            throw usage_error("--sleep: at most 3600000 ms (an hour)");
        }
        s.handler.sleep = std::chrono::milliseconds(ms);
    }
    s.handler.in_place = vm.count("in-place") != 0;
    if (const auto t = string_option(vm, "threads")) {
        s.threads = parse_count("--threads", *t);
        if (s.threads == 0 || s.threads > 1024) {
            throw usage_error("--threads: from 1 to 1024");
        }
    }
    s.duplex = parse_duplex_settings(vm);
    if (const auto f = string_option(vm, "for")) {
        s.duration = parse_seconds("--for", *f);
        if (s.duration.count() == 0) {
            throw usage_error("--for must be more than 0 seconds");
        }
    }
    s.json = vm.count("json") != 0;
    return s;
}

duplex::server_options server_options_of(const serve_settings& s)
{
    duplex::server_options o;
    o.request.payload_size = s.duplex.ring_size;
    o.request.wait = s.duplex.wait.wait;
    o.response.wait = s.duplex.wait.wait;
    return o;
}

std::string_view processing_name(const serve_settings& s)
{
    return s.threads == 0 ? "single_thread" : "thread_pool";
}

std::string describe_handler(const serve_settings& s)
{
    std::string text(to_string(s.handler.kind));
    if (s.handler.kind == serve_kind::sleep) {
        text += " " + std::to_string(s.handler.sleep.count()) + " ms";
    }
    text += s.handler.in_place ? ", in place" : "";
    text += s.threads == 0 ? ", single thread" : ", " + std::to_string(s.threads) + " threads";
    return text;
}

/// The line tests and scripts wait for: the request buffer exists and the
/// server reads it. Flushed at once (stdout may be a pipe).
void print_ready(const serve_settings& s)
{
    if (s.json) {
        const boost::json::object o{{"event", "ready"},
                                    {"command", "serve"},
                                    {"name", s.name},
                                    {"request_buffer", duplex::request_buffer_name(s.name)},
                                    {"response_buffer", duplex::response_buffer_name(s.name)},
                                    {"handler", to_string(s.handler.kind)},
                                    {"sleep_ms", s.handler.sleep.count()},
                                    {"in_place", s.handler.in_place},
                                    {"processing", processing_name(s)},
                                    {"threads", s.threads == 0 ? std::size_t{1} : s.threads},
                                    {"wait", s.duplex.wait.name},
                                    {"ring_size", s.duplex.ring_size},
                                    {"pid", ::getpid()}};
        write_json(std::cout, o);
        std::cout << std::endl;
        return;
    }
    std::cout << "serving " << s.name << " (" << describe_handler(s) << "; "
              << format_bytes(static_cast<double>(s.duplex.ring_size))
              << " request ring): ready for 'zerobuffer request " << s.name << "'" << std::endl;
}

void print_counters(const serve_settings& s, const duplex::server_counters& c, double seconds,
                    std::string_view end)
{
    if (s.json) {
        const boost::json::object o{{"event", "stopped"},
                                    {"command", "serve"},
                                    {"name", s.name},
                                    {"end", end},
                                    {"seconds", seconds},
                                    {"requests_handled", c.requests_handled},
                                    {"handler_errors", c.handler_errors},
                                    {"clients_served", c.clients_served},
                                    {"requests_dropped", c.requests_dropped},
                                    {"request_buffers_renewed", c.request_buffers_renewed}};
        write_json(std::cout, o);
        std::cout << std::endl;
        return;
    }
    char took[32];
    std::snprintf(took, sizeof took, "%.1f", seconds);
    std::cout << "served " << s.name << " for " << took << " s (ended: " << end
              << "): " << format_count(c.requests_handled) << " requests handled, "
              << format_count(c.handler_errors) << " handler errors, "
              << format_count(c.clients_served) << " clients served, "
              << format_count(c.requests_dropped) << " dropped" << std::endl;
}

} // namespace

int run_serve(const arguments& args)
{
    po::options_description opts("options");
    {
        auto add = opts.add_options();
        add("echo", "answer each request with its own bytes");
        add("upper", "answer with the request's ASCII letters upper-cased");
        add("sleep", po::value<std::string>()->value_name("MS"),
            "sleep MS milliseconds, then echo (a slow handler)");
        add("threads", po::value<std::string>()->value_name("N"),
            "run the handlers on a pool of N threads (default: one at a time on the receiving "
            "thread)");
        add("in-place",
            "write each response straight into the response ring (response_sink::get_buffer "
            "and commit) instead of returning it");
        add("for", po::value<std::string>()->value_name("SECONDS"),
            "stop after this long (default: until Ctrl-C or SIGTERM)");
        add("json", "print the ready line and the counters as JSON objects, one per line");
    }
    add_duplex_options(opts);
    po::options_description hidden;
    {
        auto add = hidden.add_options();
        add("name", po::value<std::string>());
    }
    po::positional_options_description pos;
    pos.add("name", 1);

    const auto vm = parse_command(serve_help, opts, hidden, pos, args);
    if (!vm) {
        return exit_ok;
    }
    const serve_settings s = parse_settings(*vm);

    // Before the server's threads start, so that they inherit the mask.
    block_stop_signals();
    duplex::server server(s.name, server_options_of(s));
    const auto strategy = s.threads == 0 ? duplex::processing::single_thread()
                                         : duplex::processing::thread_pool(s.threads);
    try {
        start_handler(server, s.handler, strategy);
    } catch (const reader_already_exists&) {
        throw std::runtime_error("the channel '" + s.name + "' already has a server (" +
                                 duplex::request_buffer_name(s.name) + " is live)");
    }
    print_ready(s);

    const auto start = clock_type::now();
    std::string_view end = "signal";
    for (;;) {
        auto slice = std::chrono::nanoseconds(std::chrono::milliseconds(200));
        if (s.duration.count() != 0) {
            const auto left = start + s.duration - clock_type::now();
            if (left <= std::chrono::nanoseconds(0)) {
                end = "for";
                break;
            }
            slice = std::min<std::chrono::nanoseconds>(slice, left);
        }
        if (wait_for_stop_signal(slice)) {
            break;
        }
    }
    server.stop(); // answers the requests in flight, then removes the request buffer
    print_counters(s, server.counters(), to_seconds(clock_type::now() - start), end);
    return exit_ok;
}

} // namespace zerobuffer::tool
