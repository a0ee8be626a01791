// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

#ifndef ZEROBUFFER_ASIO_HPP
#define ZEROBUFFER_ASIO_HPP

/// @file
/// The Asio layer: readers, writers and duplex clients whose waits are
/// asynchronous operations, duplex servers whose handlers are (doc/asio.md).
/// Link `zerobuffer::asio`.

#include <zerobuffer/asio/basic_client.hpp>
#include <zerobuffer/asio/basic_reader.hpp>
#include <zerobuffer/asio/basic_server.hpp>
#include <zerobuffer/asio/basic_writer.hpp>
#include <zerobuffer/asio/wait_service.hpp>

#endif // ZEROBUFFER_ASIO_HPP
