import './style.css';
import { ApiClient, type LeaderboardEntry } from './api';
import { Game, type Phase } from './game/core';
import { FixedStepper } from './game/fixed-step';
import { cleanPlayerName as cleanName } from '../../src/game/player-name.ts';
import { loadBest, loadName, saveBest, saveName } from './player-name';
import { render } from './render';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const canvas = $<HTMLCanvasElement>('field');
const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
const statusLine = $('status');
const apiStatus = $('api-status');
const boardStatus = $('board-status');
const nameInput = $<HTMLInputElement>('player');
const startButton = $<HTMLButtonElement>('start');
const board = $<HTMLOListElement>('leaderboard');
const bestOut = $('best');

const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
})();
const api = new ApiClient();
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
const stepper = new FixedStepper();

const seedFromUrl = Number(new URLSearchParams(location.search).get('seed'));
const newSeed = () => (Number.isSafeInteger(seedFromUrl) && seedFromUrl !== 0 ? seedFromUrl : crypto.getRandomValues(new Uint32Array(1))[0]!);

let game = new Game(newSeed());
let flapRequested = false;
let lastPhase: Phase = 'idle';
let frame = 0;
let best = loadBest(storage);
let run = 0;

nameInput.value = loadName(storage);
bestOut.textContent = String(best);

function flap(): void {
  if (game.currentPhase === 'over') return;
  flapRequested = true;
}

function restart(): void {
  game = new Game(newSeed());
  stepper.reset();
  flapRequested = false;
  lastPhase = 'idle';
  setPhase('idle');
  apiStatus.textContent = '';
  canvas.focus();
}

function setPhase(phase: Phase): void {
  document.body.dataset.phase = phase;
  startButton.textContent = phase === 'over' ? 'Restart' : 'Start';
}

/** Phase changes are where the game talks to the API — once per run, never blocking play. */
function onPhaseChange(phase: Phase): void {
  setPhase(phase);
  if (phase === 'running') {
    run += 1;
    void api.gameStarted().then((ok) => {
      if (!ok) apiStatus.textContent = 'The server did not answer; playing offline.';
    });
  }
  if (phase === 'over') {
    const score = game.currentScore;
    if (score > best) {
      best = score;
      saveBest(storage, best);
      bestOut.textContent = String(best);
    }
    void submit(run, score);
    startButton.focus();
  }
}

async function submit(forRun: number, score: number): Promise<void> {
  const player = cleanName(nameInput.value);
  apiStatus.textContent = 'Saving your score…';
  const outcome = await api.submitScore(player, score);
  if (forRun === run) apiStatus.textContent = outcome.message;
  await refreshLeaderboard();
}

async function refreshLeaderboard(): Promise<void> {
  const entries = await api.leaderboard();
  if (!entries) {
    boardStatus.textContent = 'Leaderboard unavailable right now.';
    return;
  }
  boardStatus.textContent = '';
  board.replaceChildren(...entries.map(entryItem));
}

/** Names are text, never markup. */
function entryItem(entry: LeaderboardEntry): HTMLLIElement {
  const item = document.createElement('li');
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = entry.player;
  const score = document.createElement('strong');
  score.textContent = String(entry.score);
  item.append(name, score);
  return item;
}

function tick(now: number): void {
  const steps = stepper.advance(now);
  for (let i = 0; i < steps; i++) {
    game.step({ flap: flapRequested });
    flapRequested = false;
    if (game.currentPhase !== lastPhase) {
      lastPhase = game.currentPhase;
      onPhaseChange(lastPhase);
    }
  }
  frame += 1;
  const snapshot = game.snapshot();
  render(ctx, snapshot, frame, !reducedMotion.matches);
  if (statusLine.textContent !== snapshot.statusLine) statusLine.textContent = snapshot.statusLine;
  requestAnimationFrame(tick);
}

const typing = (target: EventTarget | null) => target instanceof HTMLInputElement || target instanceof HTMLButtonElement;

document.addEventListener('keydown', (event) => {
  if ((event.code === 'Space' || event.code === 'ArrowUp') && !typing(event.target)) {
    event.preventDefault();
    if (!event.repeat) flap();
  }
});
canvas.addEventListener('pointerdown', (event) => {
  event.preventDefault();
  canvas.focus();
  flap();
});
$<HTMLFormElement>('controls').addEventListener('submit', (event) => {
  event.preventDefault();
  saveName(storage, cleanName(nameInput.value));
  if (game.currentPhase === 'over') restart();
  else {
    canvas.focus();
    flap();
  }
});
nameInput.addEventListener('change', () => saveName(storage, cleanName(nameInput.value)));
// A hidden tab stops requestAnimationFrame; on return, start the clock afresh instead of catching up.
document.addEventListener('visibilitychange', () => stepper.reset());

void refreshLeaderboard();
requestAnimationFrame(tick);
