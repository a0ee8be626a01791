// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_DUPLEX_OPTIONS_HPP
#define ZEROBUFFER_TOOL_DUPLEX_OPTIONS_HPP

// The options `serve` and `request` share: how each side waits (--wait) and
// the size of the ring it creates (--ring). Each endpoint sizes only the
// buffer it creates: the server its request ring, the client its response ring.

#include "options.hpp"

#include <zerobuffer/wait_strategy.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace zerobuffer::tool {

/// A wait strategy with the name the reports give it.
struct wait_choice {
    std::string_view name; ///< "spin_then_block", "busy_poll" or "blocking"
    wait_strategy wait;
};

/// --wait: "busy" (or "busy_poll"), "spin" (or "spin_then_block", the
/// default) or "blocking"; `usage_error` otherwise.
wait_choice parse_wait_choice(std::string_view text);

/// Adds --wait and --ring to a command's options.
void add_duplex_options(po::options_description& options);

/// What --wait and --ring say (the defaults when not given).
struct duplex_settings {
    wait_choice wait;
    std::size_t ring_size = 0;
};
duplex_settings parse_duplex_settings(const po::variables_map& vm);

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_DUPLEX_OPTIONS_HPP
