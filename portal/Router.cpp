#include "portal/Router.h"

#include <cctype>

namespace duegate::portal {
namespace {

bool isParameter(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

bool isNumericParameter(const std::string& name) {
    return name == "id" || (name.size() > 2 && name.compare(name.size() - 2, 2, "Id") == 0);
}

bool isInt64Id(const std::string& s) {
    if (s.empty() || s.size() > 18) return false;  // 18 digits always fit in int64
    for (char c : s)
        if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

}  // namespace

std::vector<std::string> splitPath(const std::string& path) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        while (i < path.size() && path[i] == '/') ++i;
        if (i >= path.size()) break;
        const auto next = path.find('/', i);
        out.push_back(path.substr(i, next == std::string::npos ? std::string::npos : next - i));
        i = next == std::string::npos ? path.size() : next;
    }
    return out;
}

void Router::add(std::string method, const std::string& pattern, Handler handler) {
    _routes.push_back(Route{std::move(method), splitPath(pattern), std::move(handler)});
}

bool Router::match(const Route& route, const std::vector<std::string>& path, std::map<std::string, std::string>& params) {
    if (route.segments.size() != path.size()) return false;
    std::map<std::string, std::string> found;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const std::string& seg = route.segments[i];
        if (isParameter(seg)) {
            const std::string name = seg.substr(1, seg.size() - 2);
            if (isNumericParameter(name) && !isInt64Id(path[i])) return false;
            found[name] = path[i];
        } else if (seg != path[i]) {
            return false;
        }
    }
    params = std::move(found);
    return true;
}

Response Router::dispatch(Request& request) const {
    const auto path = splitPath(request.path);
    // HEAD is GET without the body (RFC 9110 9.3.2): the engine drops the body, keeps the headers.
    const bool head = request.method == "HEAD";
    std::string allowed;
    for (const auto& route : _routes) {
        std::map<std::string, std::string> params;
        if (!match(route, path, params)) continue;
        if (route.method == request.method || (head && route.method == "GET")) {
            request.params = std::move(params);
            return route.handler(request);
        }
        const std::string methods = route.method == "GET" ? "GET, HEAD" : route.method;
        if (allowed.find(route.method) == std::string::npos) allowed += (allowed.empty() ? "" : ", ") + methods;
    }
    if (!allowed.empty()) {
        Response r = Response::text(405, "method not allowed\n");
        r.headers.emplace_back("Allow", allowed);
        return r;
    }
    if (_notFound) return _notFound(request);
    return Response::text(404, "not found\n");
}

}  // namespace duegate::portal
