package io.hookgate.web;

import org.thymeleaf.TemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

import java.util.Locale;
import java.util.Map;

/**
 * Renders the admin-ui module's Thymeleaf templates (classpath {@code templates/}). Templates escape everything
 * with {@code th:text}; payloads are attacker-controlled, so {@code th:utext} is never used.
 */
public final class Templates {

    private final TemplateEngine engine;

    public Templates() {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver();
        resolver.setPrefix("templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        this.engine = new TemplateEngine();
        this.engine.setTemplateResolver(resolver);
        this.engine.addDialect(new UtcInstants.Dialect());
    }

    public String render(String template, Map<String, ?> model) {
        Context context = new Context(Locale.ENGLISH);
        model.forEach(context::setVariable);
        return engine.process(template, context);
    }
}
