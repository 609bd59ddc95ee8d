package io.hookgate.api;

import io.dropwizard.auth.Auth;
import io.hookgate.support.Problem;
import jakarta.annotation.Priority;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An API endpoint that takes no body refuses one that says something: ignored, {@code {"tenantId": 2}} sent to a bulk
 * replay, whose filter is in the query string, would replay every tenant's dead letters. An empty body, {@code {}} or
 * {@code null} says nothing and passes.
 */
@Priority(Priorities.USER)
public final class UndeclaredBody implements ContainerRequestFilter {

    private static final Set<Class<? extends Annotation>> NOT_A_BODY = Set.of(PathParam.class, QueryParam.class, BeanParam.class,
        HeaderParam.class, FormParam.class, CookieParam.class, Context.class, Auth.class);
    private static final Pattern FIRST_FIELD = Pattern.compile("^\\s*\\{\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final int READ_AT_MOST = 64 * 1024;

    @Context
    private ResourceInfo resource;
    private final Map<Method, Boolean> takesBody = new ConcurrentHashMap<>();

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        Method method = resource.getResourceMethod();
        if (method == null || !request.getUriInfo().getPath().startsWith("api/") || !request.hasEntity()
            || takesBody.computeIfAbsent(method, UndeclaredBody::hasBodyParameter)) {
            return;
        }
        byte[] body = request.getEntityStream().readNBytes(READ_AT_MOST);
        request.setEntityStream(new ByteArrayInputStream(body));
        String text = new String(body, StandardCharsets.UTF_8).strip();
        if (text.isEmpty() || text.equals("null") || text.replaceAll("\\s", "").equals("{}")) {
            return;
        }
        Matcher field = FIRST_FIELD.matcher(text);
        String name = field.find() ? field.group(1) : "body";
        throw new Problem.Invalid(name, "this endpoint takes no request body; its parameters, if any, go in the query string");
    }

    private static boolean hasBodyParameter(Method method) {
        for (Parameter parameter : method.getParameters()) {
            boolean annotated = false;
            for (Annotation annotation : parameter.getAnnotations()) {
                annotated |= NOT_A_BODY.contains(annotation.annotationType());
            }
            if (!annotated) {
                return true;
            }
        }
        return false;
    }
}
