// Copyright (c) 2026 The zerobuffer authors.
// Distributed under the Boost Software License, Version 1.0.

// Request and response, server side: serves the channel "quickstart_echo",
// answering each request with its bytes in upper case, on a pool of two
// threads, until Ctrl-C (SIGINT) or SIGTERM. Run duplex_client next to it.

#include <zerobuffer/duplex.hpp>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <iostream>
#include <string>

int main()
{
    // Only sigwait below takes these: block them before any thread starts.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    namespace duplex = zerobuffer::duplex;
    duplex::server server("quickstart_echo");
    server.start(
        [](const duplex::request& req) {
            std::string text(reinterpret_cast<const char*>(req.data()), req.size());
            std::transform(text.begin(), text.end(), text.begin(),
                           [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
            return text; // the response: sent in request order, whatever thread ran it
        },
        duplex::processing::thread_pool(2));
    std::cout << "serving quickstart_echo: run duplex_client" << std::endl;

    int signal = 0;
    sigwait(&stop_signals, &signal);
    server.stop(); // answers what is in flight, then removes the request buffer
    const auto counters = server.counters();
    std::cout << "served " << counters.requests_handled << " requests to "
              << counters.clients_served << " client(s)" << std::endl;
}
