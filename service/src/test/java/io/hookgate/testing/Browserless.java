package io.hookgate.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The admin UI as a browser without JavaScript uses it: cookies kept, forms posted urlencoded with the CSRF token
 * of the last page read, redirects not followed (a test sees them; {@link #follow} takes one). Sign in goes through
 * the real login form.
 */
public final class Browserless {

    private static final Pattern CSRF_INPUT = Pattern.compile("<input[^>]*name=\"_csrf\"[^>]*>");
    private static final Pattern VALUE = Pattern.compile("value=\"([^\"]*)\"");

    private final String baseUrl;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER);
    private final HttpClient client;
    private String csrf;

    public Browserless(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).cookieHandler(cookies).build();
    }

    /** A browser signed in as {@code email}; fails the test if the login form refuses. */
    public static Browserless signIn(String baseUrl, String email, String password) {
        Browserless browser = new Browserless(baseUrl);
        Page reply = browser.login(email, password);
        if (reply.status() != 303 || reply.location().orElse("").startsWith("/login")) {
            throw new AssertionError("sign in as " + email + " failed: " + reply);
        }
        return browser;
    }

    /** Fills and sends the login form (GET /login for its token, then POST); returns the form's answer. */
    public Page login(String email, String password) {
        Page form = get("/login");
        if (form.status() != 200) {
            throw new AssertionError("the login page answered " + form);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("email", email);
        fields.put("password", password);
        fields.put("next", "/");
        Page reply = postForm("/login", fields);
        csrf = null; // the login form's token; a session has its own, read from its first page
        return reply;
    }

    /** Form fields from name, value pairs, in order: {@code form("email", "a@b.test", "role", "support")}. */
    public static Map<String, String> form(String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        return fields;
    }

    public Page get(String path) {
        return send(request(path).GET());
    }

    /** Posts the form with the {@code _csrf} of the last page read (reading the dashboard first if none was). */
    public Page postForm(String path, Map<String, String> fields) {
        return postForm(path, fields, true);
    }

    /** With {@code addCsrf} false, the form goes as given: to see what a forged or stale form gets. */
    public Page postForm(String path, Map<String, String> fields, boolean addCsrf) {
        return post(path, List.copyOf(fields.entrySet()), addCsrf && !fields.containsKey("_csrf"));
    }

    /** A form with a field given more than once, as ticked checkboxes of one name are sent. */
    public Page postForm(String path, List<Map.Entry<String, String>> fields) {
        return post(path, fields, true);
    }

    private Page post(String path, List<Map.Entry<String, String>> fields, boolean addCsrf) {
        List<Map.Entry<String, String>> sent = new ArrayList<>(fields);
        if (addCsrf) {
            if (csrf == null) {
                get("/");
            }
            if (csrf == null) {
                throw new AssertionError("no page with a _csrf field was read before posting to " + path);
            }
            sent.add(Map.entry("_csrf", csrf));
        }
        String body = sent.stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue())).collect(Collectors.joining("&"));
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Where a redirect points, read like a browser would (GET). */
    public Page follow(Page redirect) {
        return get(redirect.location().orElseThrow(() -> new AssertionError("not a redirect: " + redirect)));
    }

    /** The CSRF token of the last page read that had a form. */
    public Optional<String> csrf() {
        return Optional.ofNullable(csrf);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : baseUrl + path)).timeout(Duration.ofSeconds(30));
    }

    private Page send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            Page page = new Page(response.statusCode(), response.body(), response.headers().firstValue("Location").map(this::relative));
            page.csrfField().ifPresent(token -> csrf = token);
            return page;
        } catch (IOException e) {
            throw new IllegalStateException("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String relative(String location) {
        return location.startsWith(baseUrl) ? location.substring(baseUrl.length()) : location.replaceFirst("^https?://[^/]+", "");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }

    /** One answer: status, HTML, and where a redirect points (a path on this site). */
    public record Page(int status, String body, Optional<String> location) {

        /** The value of the page's {@code _csrf} hidden input, if it has a form. */
        public Optional<String> csrfField() {
            Matcher input = CSRF_INPUT.matcher(body == null ? "" : body);
            if (!input.find()) {
                return Optional.empty();
            }
            Matcher value = VALUE.matcher(input.group());
            return value.find() ? Optional.of(value.group(1)) : Optional.empty();
        }

        @Override
        public String toString() {
            String shown = body == null ? "" : body.length() > 2000 ? body.substring(0, 2000) + "…" : body;
            return status + location.map(l -> " → " + l).orElse("") + " " + shown;
        }
    }
}
