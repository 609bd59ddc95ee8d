package io.hookgate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.auth.AuthDynamicFeature;
import io.dropwizard.auth.AuthValueFactoryProvider;
import io.dropwizard.auth.basic.BasicCredentialAuthFilter;
import io.dropwizard.auth.chained.ChainedAuthFilter;
import io.dropwizard.auth.oauth.OAuthCredentialAuthFilter;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.core.Application;
import io.dropwizard.core.cli.CheckCommand;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.jdbi3.JdbiFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import io.hookgate.api.AuditResource;
import io.hookgate.api.DeadLetterResource;
import io.hookgate.api.DeclaredQueryParams;
import io.hookgate.api.DeliveryResource;
import io.hookgate.api.DestinationResource;
import io.hookgate.api.EventResource;
import io.hookgate.api.JsonInputExceptionMapper;
import io.hookgate.api.JsonUnauthorizedHandler;
import io.hookgate.api.NulRefusingStrings;
import io.hookgate.api.OverviewResource;
import io.hookgate.api.ProblemMapper;
import io.hookgate.api.ProtocolErrorHandler;
import io.hookgate.api.RejectionResource;
import io.hookgate.api.RetentionResource;
import io.hookgate.api.TenantIdQueryParam;
import io.hookgate.api.TenantResource;
import io.hookgate.api.TokenResource;
import io.hookgate.api.UndeclaredBody;
import io.hookgate.api.UnexpectedExceptionMapper;
import io.hookgate.api.UserResource;
import io.hookgate.api.WebApplicationExceptionMapper;
import io.hookgate.audit.AuditLog;
import io.hookgate.auth.Actor;
import io.hookgate.auth.ApiTokenService;
import io.hookgate.auth.BasicAuthenticator;
import io.hookgate.auth.LoginService;
import io.hookgate.auth.PageFlashes;
import io.hookgate.auth.PasswordHasher;
import io.hookgate.auth.SessionService;
import io.hookgate.auth.UserService;
import io.hookgate.delivery.DeliveryModule;
import io.hookgate.delivery.DeliveryPauseTasks;
import io.hookgate.event.EventService;
import io.hookgate.event.EventStore;
import io.hookgate.health.DeliveryHealthChecks;
import io.hookgate.health.IngestReadiness;
import io.hookgate.health.Operations;
import io.hookgate.health.PrometheusEndpoint;
import io.hookgate.health.RetentionHealthCheck;
import io.hookgate.ingest.HookHandler;
import io.hookgate.ingest.IngestLoad;
import io.hookgate.ingest.IngestService;
import io.hookgate.ingest.NotificationParser;
import io.hookgate.ingest.RejectionLog;
import io.hookgate.ingest.TestCall;
import io.hookgate.overview.OverviewService;
import io.hookgate.replay.ReplayRunner;
import io.hookgate.replay.ReplayService;
import io.hookgate.retention.RetentionPurger;
import io.hookgate.retention.RetentionTask;
import io.hookgate.store.DatabaseSettings;
import io.hookgate.store.EmbeddedDatabase;
import io.hookgate.store.LongIdArguments;
import io.hookgate.store.SchemaMigrations;
import io.hookgate.store.StatementMessages;
import io.hookgate.support.MasterKey;
import io.hookgate.support.OperatorMistake;
import io.hookgate.support.RandomTokens;
import io.hookgate.support.SecretBox;
import io.hookgate.tenant.TenantDao;
import io.hookgate.tenant.TenantDirectory;
import io.hookgate.tenant.TenantKeys;
import io.hookgate.tenant.TenantService;
import io.hookgate.web.AccountPage;
import io.hookgate.web.AuditPage;
import io.hookgate.web.DashboardPage;
import io.hookgate.web.DeadLetterPages;
import io.hookgate.web.DestinationPages;
import io.hookgate.web.ErrorPages;
import io.hookgate.web.EventPages;
import io.hookgate.web.LoginPages;
import io.hookgate.web.LogoutPage;
import io.hookgate.web.Pages;
import io.hookgate.web.RejectionPages;
import io.hookgate.web.SecurityHeadersFilter;
import io.hookgate.web.Templates;
import io.hookgate.web.TenantPages;
import io.hookgate.web.UserPages;
import io.hookgate.web.WebSessionFilter;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.NoTemplateEngine;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

public class HookgateApplication extends Application<HookgateConfiguration> {

    private static final Logger LOG = LoggerFactory.getLogger(HookgateApplication.class);
    /** The health check of the database: the one {@code /ready} runs. */
    private static final String DATABASE_CHECK = "postgresql";

    static {
        // Liquibase 4.30+ phones home unless told not to.
        System.setProperty("liquibase.analytics.enabled", "false");
    }

    /** One per process: the server and the `db` commands share it, and it must start only once per data dir. */
    private EmbeddedDatabase embedded;

    public static void main(String[] args) throws Exception {
        new HookgateApplication().run(args);
    }

    @Override
    public String getName() {
        return "hookgate";
    }

    @Override
    protected void addDefaultCommands(Bootstrap<HookgateConfiguration> bootstrap) {
        bootstrap.addCommand(new HookgateServerCommand(this));
        bootstrap.addCommand(new CheckCommand<>(this));
    }

    @Override
    public void initialize(Bootstrap<HookgateConfiguration> bootstrap) {
        bootstrap.setConfigurationSourceProvider(new SubstitutingSourceProvider(
            bootstrap.getConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)));
        bootstrap.addBundle(new AssetsBundle("/static", "/static", null, "static"));
        // what MigrationsBundle adds, with the error handling of our own commands
        bootstrap.addCommand(new HookgateDbCommand(config -> SchemaMigrations.forCommands(database(config))));
    }

    @Override
    public void run(HookgateConfiguration config, Environment environment) throws Exception {
        String publicUrl = publicUrl(config); // a wrong one refuses the start before anything else starts
        Clock clock = Clock.systemUTC();
        SecureRandom random = new SecureRandom();
        // A misspelt field in an API request is an error, not silently ignored; so is a value of the wrong type, which
        // Jackson would otherwise convert (1.5 retention days read as 1, a name sent as 123 stored as "123").
        // A field named twice is refused too: which of the two a parser keeps is a guess ({"graceHours": 0, "graceHours": 24}).
        ObjectMapper json = environment.getObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
        json.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        json.registerModule(NulRefusingStrings.module());
        for (CoercionInputShape shape : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            json.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            json.coercionConfigFor(type).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
        json.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);

        // Storage: the embedded server (if any) is managed first so that it stops last, after Jetty and the pool.
        boolean embeddedMode = DatabaseSettings.isEmbedded(config.getDatabase());
        DataSourceFactory database = database(config);
        if (embeddedMode) {
            embedded.attachToServer();
            environment.lifecycle().manage(embedded);
        }
        byte[] masterKey = MasterKey.resolve(config.getMasterKey(), embeddedMode, DatabaseSettings.dataDir(config.getDataDir()), random);
        SchemaMigrations.apply(database);
        Jdbi jdbi = new JdbiFactory().build(environment, database, DATABASE_CHECK);
        jdbi.installPlugin(new PostgresPlugin());
        // Dropwizard's name-prepending engine re-lexes every statement's SQL on every execution (over half the CPU
        // of the delivery path in a profile); no statement here uses template attributes, so the SQL goes as written.
        jdbi.setTemplateEngine(new NoTemplateEngine());
        jdbi.registerArgument(new LongIdArguments());
        StatementMessages.withoutArguments(jdbi.getConfig(StatementExceptions.class));

        SecretBox secrets = new SecretBox(masterKey, random);
        MasterKey.requireOpens(secrets, jdbi.withExtension(TenantDao.class, TenantDao::anySealedKey));
        RandomTokens tokens = new RandomTokens(random);
        AuditLog audit = new AuditLog(jdbi, clock, json);

        // Delivery: destinations, the outbox worker, dead letters and their replay. It yields to the ingest when that slows.
        IngestLoad ingestLoad = new IngestLoad();
        DeliveryModule delivery = DeliveryModule.create(jdbi, secrets, tokens, audit, json, clock, environment.metrics(),
            config.getDelivery().toSettings(), ingestLoad::recentAnswerMillis);
        environment.lifecycle().manage(delivery.sender()); // registered first: stopped after the worker that uses it
        environment.lifecycle().manage(delivery.worker());
        ReplayService replays = new ReplayService(jdbi, audit, clock, delivery.worker()::wake, delivery.deliveries()::circuitState);
        environment.lifecycle().manage(new ReplayRunner(jdbi, clock, config.getDelivery().getReplayPacePerDestination(),
            Duration.ofMillis(500), delivery.worker()::wake));

        // Tenants and the ingest path; storing an event creates its deliveries and hands them to the worker.
        TenantDirectory directory = new TenantDirectory(jdbi, secrets, clock, config.getTenantCacheTtl().toJavaDuration(),
            config.getTenantLookupTimeout().toJavaDuration());
        TenantService tenants = new TenantService(jdbi, secrets, new TenantKeys(tokens), directory, audit, clock, publicUrl);
        RejectionLog rejections = new RejectionLog(jdbi, clock, config.getRejectionsKeptPerTenant());
        EventStore eventStore = new EventStore(jdbi, json, delivery.worker(), config.getIngest().toSettings(), environment.metrics());
        environment.lifecycle().manage(eventStore);
        IngestService ingest = new IngestService(directory, new NotificationParser(), eventStore, rejections, clock,
            environment.metrics());
        EventService events = new EventService(jdbi, json);

        // Users and authentication: HTTP Basic or an API token, both checked against the database on every request, so
        // a revoked token, a disabled or locked user stops working at once on every instance.
        PasswordHasher hasher = new PasswordHasher(random);
        LoginService logins = new LoginService(jdbi, hasher, audit, clock);
        ApiTokenService apiTokens = new ApiTokenService(jdbi, tokens, audit, clock);
        UserService users = new UserService(jdbi, hasher, audit, clock);
        users.bootstrapAdmin(config.getAdminEmail(), Optional.ofNullable(config.getAdminPassword()), tokens.urlSafe(15))
            .ifPresent(password -> LOG.warn("\n\n    First platform admin created: {} / {}\n    This password is shown once; "
                + "sign in at {}/ and change it on the Account page.\n", config.getAdminEmail(), password, publicUrl));

        JsonUnauthorizedHandler unauthorized = new JsonUnauthorizedHandler();
        environment.jersey().register(new AuthDynamicFeature(new ChainedAuthFilter<>(List.of(
            new BasicCredentialAuthFilter.Builder<Actor>().setAuthenticator(new BasicAuthenticator(logins)).setRealm("hookgate")
                .setUnauthorizedHandler(unauthorized).buildAuthFilter(),
            new OAuthCredentialAuthFilter.Builder<Actor>().setAuthenticator(apiTokens).setPrefix("Bearer").setRealm("hookgate")
                .setUnauthorizedHandler(unauthorized).buildAuthFilter()))));
        environment.jersey().register(new AuthValueFactoryProvider.Binder<>(Actor.class));

        // Operations: health checks and gauges on the admin port, all metrics in Prometheus format at /prometheus.
        Duration circuitWarning = config.getOperations().getCircuitOpenWarning().toJavaDuration();
        Operations operations = new Operations(jdbi, clock, () -> delivery.circuitsOpenLongerThan().apply(circuitWarning),
            environment.metrics(), environment.lifecycle().scheduledExecutorService("delivery-figures").threads(1).build());
        environment.lifecycle().manage(operations);
        environment.healthChecks().register("delivery-worker", DeliveryHealthChecks.worker(delivery.worker()));
        environment.healthChecks().register("delivery-backlog", DeliveryHealthChecks.backlog(operations,
            config.getOperations().getOverdueDeliveryThreshold().toJavaDuration()));
        environment.healthChecks().register("circuits", DeliveryHealthChecks.circuits(operations, circuitWarning));
        environment.admin().addServlet("prometheus", PrometheusEndpoint.servlet(environment.metrics())).addMapping("/prometheus");
        environment.admin().addServlet("ready", new IngestReadiness(environment.healthChecks(), DATABASE_CHECK)).addMapping("/ready");
        RetentionPurger retention = new RetentionPurger(jdbi, clock, config.getRetention().toSettings(), environment.metrics());
        environment.lifecycle().manage(retention);
        environment.admin().addTask(new RetentionTask(retention));
        environment.healthChecks().register("retention", new RetentionHealthCheck(
            () -> operations.figures().flatMap(Operations.Figures::retentionCompleted), retention.interval(), clock));
        environment.admin().addTask(DeliveryPauseTasks.pause(delivery.worker()));
        environment.admin().addTask(DeliveryPauseTasks.resume(delivery.worker()));

        // AIRUDDER's callbacks: answered in front of the application's servlet context, before its filters and Jersey
        HookHandler hooks = new HookHandler(ingest, ingestLoad, json, environment.metrics());
        environment.lifecycle().addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarting(LifeCycle server) {
                hooks.insertBefore(environment.getApplicationContext(), (Server) server);
                ((Server) server).setErrorHandler(new ProtocolErrorHandler(json));
            }
        });

        // the API and the UI check re-entered passwords and send test calls the same way
        SessionService sessions = new SessionService(jdbi, logins, tokens, audit, clock);

        // One error mapping: JSON for the API, a page for the UI.
        Templates templates = new Templates();
        ErrorPages errorPages = new ErrorPages(templates, sessions);
        environment.jersey().register(new ProblemMapper(errorPages));
        environment.jersey().register(new WebApplicationExceptionMapper(errorPages));
        environment.jersey().register(new JsonInputExceptionMapper());
        environment.jersey().register(new DeclaredQueryParams());
        environment.jersey().register(new UndeclaredBody());
        environment.jersey().register(new UnexpectedExceptionMapper(errorPages));
        AtomicInteger localPort = new AtomicInteger();
        environment.lifecycle().addServerLifecycleListener(server -> localPort.set(applicationPort(server)));
        TestCall testCall = new TestCall(tenants, audit, localPort::get);
        DestinationResource destinationResource = new DestinationResource(delivery.destinations(), delivery.deliveries(), replays);
        environment.jersey().register(new TenantIdQueryParam(tenants));
        environment.jersey().register(new TenantResource(tenants, events, rejections, delivery.destinations(), destinationResource,
            sessions, testCall));
        environment.jersey().register(destinationResource);
        environment.jersey().register(new EventResource(events, delivery.deliveries(), json));
        environment.jersey().register(new RejectionResource(rejections));
        environment.jersey().register(new DeliveryResource(delivery.deliveries()));
        environment.jersey().register(new DeadLetterResource(replays));
        environment.jersey().register(new UserResource(users));
        environment.jersey().register(new TokenResource(apiTokens));
        environment.jersey().register(new RetentionResource(retention));
        OverviewService overview = new OverviewService(jdbi, delivery.deliveries(), delivery.destinations(), clock);
        environment.jersey().register(new OverviewResource(overview));
        environment.jersey().register(new AuditResource(audit));

        // The admin UI: server-rendered pages over the same services, behind a session and CSRF checks.
        Pages pages = new Pages(templates);
        PageFlashes flashes = new PageFlashes(jdbi, secrets, tokens, json, clock);
        environment.servlets().addFilter("security-headers", new SecurityHeadersFilter())
            .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        environment.jersey().register(new WebSessionFilter(sessions, errorPages));
        environment.jersey().register(new LoginPages(sessions, pages, tokens));
        environment.jersey().register(new LogoutPage(sessions));
        environment.jersey().register(new DashboardPage(overview, tenants, retention, pages));
        environment.jersey().register(new TenantPages(tenants, delivery.destinations(), delivery.deliveries(), rejections, events, sessions,
            testCall, flashes, pages, config.getRetention().toSettings().events()));
        environment.jersey().register(new DestinationPages(delivery.destinations(), delivery.deliveries(), tenants, sessions, flashes, pages));
        environment.jersey().register(new EventPages(events, delivery.deliveries(), delivery.destinations(), replays, tenants, json, pages));
        environment.jersey().register(new DeadLetterPages(replays, tenants, delivery.destinations(), pages));
        environment.jersey().register(new RejectionPages(rejections, tenants, pages));
        environment.jersey().register(new UserPages(users, tenants, pages));
        environment.jersey().register(new AccountPage(users, sessions, tenants, apiTokens, flashes, pages));
        environment.jersey().register(new AuditPage(audit, tenants, pages));
    }

    /**
     * The base of the callback URLs. Unset, this instance's own address on this machine, which is right for a try-out
     * and wrong for AIRUDDER: said at every start.
     */
    private static String publicUrl(HookgateConfiguration config) {
        if (config.getPublicUrl().isPresent()) {
            String url = config.getPublicUrl().get().strip();
            URI parsed;
            try {
                parsed = URI.create(url);
            } catch (IllegalArgumentException e) {
                parsed = null;
            }
            if (parsed == null || parsed.getHost() == null || !List.of("http", "https").contains(String.valueOf(parsed.getScheme()))) {
                throw new OperatorMistake("HOOKGATE_PUBLIC_URL must be the absolute http(s) base URL AIRUDDER calls, such as "
                    + "https://hooks.example.com; it is \"" + url + "\"");
            }
            return url;
        }
        int port = config.getServerFactory() instanceof DefaultServerFactory server
            && server.getApplicationConnectors().get(0) instanceof HttpConnectorFactory http ? http.getPort() : 8080;
        String local = "http://localhost:" + port;
        LOG.warn("HOOKGATE_PUBLIC_URL is not set: callback URLs are given as {}/hooks/…, which AIRUDDER cannot reach. "
            + "Set it to the base URL AIRUDDER will call, such as https://hooks.example.com", local);
        return local;
    }

    private static int applicationPort(Server server) {
        for (Connector connector : server.getConnectors()) {
            if ("application".equals(connector.getName()) && connector instanceof ServerConnector serverConnector) {
                return serverConnector.getLocalPort();
            }
        }
        return 8080;
    }

    /** config.yml's database, pointed at the embedded server when DATABASE_URL is unset. */
    private DataSourceFactory database(HookgateConfiguration config) {
        DataSourceFactory database = config.getDatabase();
        if (embedded == null && DatabaseSettings.isEmbedded(database)) {
            embedded = new EmbeddedDatabase(DatabaseSettings.dataDir(config.getDataDir()));
        }
        DatabaseSettings.resolve(database, embedded);
        return database;
    }
}
