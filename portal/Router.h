// The route table: method + path pattern -> handler. Patterns are literal segments and
// parameters: "/api/v1/dossiers/{id}/events". A parameter named `id` (or ending in `Id`) only
// matches a decimal number that fits int64, so handlers never parse untrusted ids themselves.
//
// dispatch() answers 404 when no pattern matches the path and 405 (with Allow) when a pattern
// matches but not with this method. Routes are added once before the server starts; dispatch is
// then read-only and safe from any number of threads.
#pragma once

#include "portal/Http.h"

#include <functional>
#include <string>
#include <vector>

namespace duegate::portal {

using Handler = std::function<Response(Request&)>;

class Router {
public:
    void add(std::string method, const std::string& pattern, Handler handler);

    // Fills request.params and runs the handler; or notFound()/405.
    Response dispatch(Request& request) const;

    // What an unmatched path gets; set by the portal to its HTML or JSON 404.
    void setNotFound(Handler handler) { _notFound = std::move(handler); }

private:
    struct Route {
        std::string method;
        std::vector<std::string> segments;  // "{name}" for a parameter
        Handler handler;
    };
    static bool match(const Route& route, const std::vector<std::string>& path,
                      std::map<std::string, std::string>& params);

    std::vector<Route> _routes;
    Handler _notFound;
};

// "/a/b/" -> {"a", "b"}; "/" -> {}.
std::vector<std::string> splitPath(const std::string& path);

}  // namespace duegate::portal
