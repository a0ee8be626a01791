// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "duplex_options.hpp"

#include <zerobuffer/duplex/channel.hpp>

namespace zerobuffer::tool {

// --ring's default, as --help shows it, is the library's.
static_assert(duplex::default_ring_size == std::size_t{16} << 20, "--ring defaults to 16M");

wait_choice parse_wait_choice(std::string_view text)
{
    if (text == "spin" || text == "spin_then_block") {
        return {"spin_then_block", wait_strategy::spin_then_block()};
    }
    if (text == "busy" || text == "busy_poll") {
        return {"busy_poll", wait_strategy::busy_poll()};
    }
    if (text == "blocking") {
        return {"blocking", wait_strategy::blocking()};
    }
    throw usage_error("invalid value '" + std::string(text) +
                      "' for --wait: expected busy, spin or blocking");
}

void add_duplex_options(po::options_description& options)
{
    auto add = options.add_options();
    add("wait", po::value<std::string>()->value_name("KIND")->default_value("spin"),
        "how this side waits: spin (spin, then block), busy (poll: lowest latency, a core "
        "busy) or blocking");
    add("ring", po::value<std::string>()->value_name("SIZE")->default_value("16M"),
        "payload ring of the buffer this side creates (rounded up to 64), e.g. 256M");
}

duplex_settings parse_duplex_settings(const po::variables_map& vm)
{
    duplex_settings s;
    s.wait = parse_wait_choice(vm["wait"].as<std::string>());
    const std::uint64_t ring = parse_size("--ring", vm["ring"].as<std::string>());
    if (ring == 0) {
        throw usage_error("--ring must be at least 1 byte");
    }
    s.ring_size = static_cast<std::size_t>(ring);
    return s;
}

} // namespace zerobuffer::tool
