// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_DUPLEX_HPP
#define ZEROBUFFER_DUPLEX_HPP

/// @file
/// The duplex channel module (target `zerobuffer::duplex`): a request/response
/// server and its client over two buffers (PROTOCOL.md section 8).

#include <zerobuffer/duplex/channel.hpp>
#include <zerobuffer/duplex/client.hpp>
#include <zerobuffer/duplex/error_response.hpp>
#include <zerobuffer/duplex/pending_request.hpp>
#include <zerobuffer/duplex/processing.hpp>
#include <zerobuffer/duplex/request.hpp>
#include <zerobuffer/duplex/response_sink.hpp>
#include <zerobuffer/duplex/server.hpp>

#endif // ZEROBUFFER_DUPLEX_HPP
