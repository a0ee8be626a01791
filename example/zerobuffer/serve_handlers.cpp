// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#include "serve_handlers.hpp"

#include <algorithm>
#include <cstddef>
#include <span>
#include <thread>
#include <vector>

namespace zerobuffer::tool {

namespace {

/// ASCII only: a locale's toupper could change bytes of UTF-8 sequences.
std::byte upper_ascii(std::byte b) noexcept
{
    const auto c = static_cast<unsigned char>(b);
    return c >= 'a' && c <= 'z' ? static_cast<std::byte>(c - ('a' - 'A')) : b;
}

/// The response of `choice` to `in`, written to `out` (of the same size).
void transform(const handler_choice& choice, std::span<const std::byte> in,
               std::span<std::byte> out) noexcept
{
    if (choice.kind == serve_kind::upper) {
        std::transform(in.begin(), in.end(), out.begin(), upper_ascii);
    } else {
        std::copy(in.begin(), in.end(), out.begin());
    }
}

/// The sleep comes first, before the response is reserved: under a pool the
/// sleeps then overlap, and only the copies wait for their turn.
void pause(const handler_choice& choice)
{
    if (choice.kind == serve_kind::sleep && choice.sleep.count() > 0) {
        std::this_thread::sleep_for(choice.sleep);
    }
}

} // namespace

std::string_view to_string(serve_kind k) noexcept
{
    switch (k) {
    case serve_kind::echo: return "echo";
    case serve_kind::upper: return "upper";
    case serve_kind::sleep: return "sleep";
    }
    return "echo";
}

void start_handler(duplex::server& server, const handler_choice& choice,
                   const duplex::processing& strategy)
{
    if (choice.in_place) {
        server.start(
            [choice](const duplex::request& req, duplex::response_sink& sink) {
                pause(choice);
                // An empty request gets no reservation (invalid_frame_size):
                // the server answers it with an error response.
                const std::span<std::byte> out = sink.get_buffer(req.size());
                transform(choice, req.bytes(), out);
                sink.commit();
            },
            strategy);
    } else {
        server.start(
            [choice](const duplex::request& req) {
                pause(choice);
                std::vector<std::byte> out(req.size());
                transform(choice, req.bytes(), out);
                return out;
            },
            strategy);
    }
}

} // namespace zerobuffer::tool
