package io.hookgate.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;

/**
 * What Jetty answers itself, before any handler sees the request: a URL or headers larger than it reads (414, 431),
 * or a request that is not HTTP (400). The answer is JSON like every other error, {@code {"error", "message"}}, so
 * that AIRUDDER's retries and scripts read why, rather than an HTML page.
 */
public final class ProtocolErrorHandler extends ErrorHandler {

    private final ObjectMapper json;

    public ProtocolErrorHandler(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                 List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
        byte[] body = json.writeValueAsBytes(new ErrorBody(error(code), message(code, message)));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON.asString());
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** "uri_too_long", "request_header_fields_too_large", …: the status's reason, as the error codes are written. */
    static String error(int code) {
        String reason = HttpStatus.getMessage(code);
        return reason.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    private static String message(int code, String jettys) {
        return switch (code) {
            case HttpStatus.URI_TOO_LONG_414 -> "the URL is longer than this server reads (8 KiB with the headers): give shorter values";
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> "the request's headers are larger than this server reads (8 KiB in all)";
            default -> jettys == null || jettys.isBlank() ? HttpStatus.getMessage(code) : jettys;
        };
    }
}
