package org.openkms.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The web console's static files ({@code /console/…}, read from the class path under {@code console/}), in front of
 * the OpenAPI handler. The console is only a client of the API: it signs every call in the browser (docs/console.md),
 * so nothing here authenticates or authorises anything. Off, {@code /console} answers the Alibaba-shaped 404 an
 * unknown path gets.
 *
 * <p>Files are named by a strict pattern (letters, digits, '-' and '_', one extension from a fixed list), so a path
 * with {@code ..}, an encoded byte or a directory name never reaches the class loader; there is no listing.
 */
public final class ConsoleHandler extends Handler.Wrapper {
    public static final String PREFIX = "/console";

    /**
     * No inline script or style, nothing from elsewhere, calls only to this origin (the API and /metrics), never
     * framed (https://developer.mozilla.org/en-US/docs/Web/HTTP/CSP).
     */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Pattern FILE =
            Pattern.compile("([A-Za-z0-9_-]+/)*[A-Za-z0-9_.-]+\\.(html|js|css|svg|png|txt)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html;charset=utf-8",
            "js", "text/javascript;charset=utf-8",
            "css", "text/css;charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "txt", "text/plain;charset=utf-8");

    private final boolean enabled;
    /** Files read so far (a few small ones); only files that exist, so that probing cannot grow it. */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    /**
     * @param enabled false: {@code /console} and everything under it answers 404
     * @param api     the handler for every other path
     */
    public ConsoleHandler(boolean enabled, Handler api) {
        super(api);
        this.enabled = enabled;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (path == null || !(path.equals(PREFIX) || path.startsWith(PREFIX + "/"))) {
            return super.handle(request, response, callback);
        }
        if (!enabled) {
            error(response, callback, 404);
            return true;
        }
        String method = request.getMethod();
        boolean head = "HEAD".equals(method);
        if (!head && !"GET".equals(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            error(response, callback, 405);
            return true;
        }
        if (path.equals(PREFIX)) {
            // The page's relative URLs need the trailing slash.
            response.setStatus(301);
            response.getHeaders().put(HttpHeader.LOCATION, PREFIX + "/");
            response.write(true, ByteBuffer.allocate(0), callback);
            return true;
        }
        String name = path.substring(PREFIX.length() + 1);
        if (name.isEmpty()) {
            name = "index.html";
        }
        byte[] body = FILE.matcher(name).matches() && !name.contains("..") ? file(name) : null;
        if (body == null) {
            error(response, callback, 404);
            return true;
        }
        String extension = name.substring(name.lastIndexOf('.') + 1);
        response.setStatus(200);
        securityHeaders(response);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, TYPES.get(extension));
        // The page is never kept (a new version of the server must not run an old page); the rest is revalidated.
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "html".equals(extension) ? "no-store" : "no-cache");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
        return true;
    }

    private static void securityHeaders(Response response) {
        response.getHeaders().put("Content-Security-Policy", CSP);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
    }

    private static void error(Response response, Callback callback, int status) {
        response.setStatus(status);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.write(true, ByteBuffer.wrap(AlibabaErrorHandler.body(status)), callback);
    }

    private byte[] file(String name) {
        byte[] cached = files.get(name);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = ConsoleHandler.class.getClassLoader().getResourceAsStream("console/" + name)) {
            if (in == null) {
                return null;
            }
            byte[] read = in.readAllBytes();
            files.put(name, read);
            return read;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
