// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_TOOL_SERVE_HANDLERS_HPP
#define ZEROBUFFER_TOOL_SERVE_HANDLERS_HPP

// What `serve` answers: an echo, the request upper-cased, or an echo after a
// sleep; each as a returning handler (the response is built, then copied into
// the ring) or in place (written straight into the response ring).

#include <zerobuffer/duplex/processing.hpp>
#include <zerobuffer/duplex/server.hpp>

#include <chrono>
#include <string_view>

namespace zerobuffer::tool {

enum class serve_kind { echo, upper, sleep };

struct handler_choice {
    serve_kind kind = serve_kind::echo;
    std::chrono::milliseconds sleep{0}; ///< for `sleep`
    bool in_place = false;
};

/// "echo", "upper" or "sleep".
std::string_view to_string(serve_kind k) noexcept;

/// Starts `server` with the handler `choice` names, under `strategy`.
void start_handler(duplex::server& server, const handler_choice& choice,
                   const duplex::processing& strategy);

} // namespace zerobuffer::tool

#endif // ZEROBUFFER_TOOL_SERVE_HANDLERS_HPP
