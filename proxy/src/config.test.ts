import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('reads the DreamFactory admin login from DF_ADMIN_EMAIL and DF_ADMIN_PASSWORD', () => {
    const config = loadConfig({
      DF_URL: 'http://df.example',
      DF_ADMIN_EMAIL: 'ops@example.com',
      DF_ADMIN_PASSWORD: 's3cret-pass',
    });
    expect(config.dreamfactory).toMatchObject({
      url: 'http://df.example',
      adminEmail: 'ops@example.com',
      adminPassword: 's3cret-pass',
    });
  });

  it.each([[{ DF_ADMIN_EMAIL: 'ops@example.com' }], [{ DF_ADMIN_PASSWORD: 's3cret-pass' }]])(
    'refuses half an admin login (%j), naming the variable and never echoing the password',
    (env) => {
      const attempt = () => loadConfig(env);
      expect(attempt).toThrow(ConfigError);
      expect(attempt).toThrow(
        /dreamfactory\.adminPassword \(env DF_ADMIN_PASSWORD\): DF_ADMIN_EMAIL and DF_ADMIN_PASSWORD go together/
      );
      expect(() => attempt()).not.toThrow(/s3cret-pass/);
    }
  );
});
