import { nginxAvailable } from '../../scripts/cluster-topology.js';

export { nginxAvailable };

if (!nginxAvailable) {
  process.stderr.write(
    '\n*** nginx not found: the tests of nginx in front of gateway processes are SKIPPED. Install it (Debian: ' +
      'apt-get install -y nginx-light) to run them; .ci/run does. ***\n\n',
  );
}
